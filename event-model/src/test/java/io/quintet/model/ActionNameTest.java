package io.quintet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ActionNameTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "billing.invoice.created",
                "auth.user.login_failed",
                "ai.model_v2.completed",
                "collaboration.document.shared",
                "a.b.c"
            })
    void acceptsThreeLowerSnakeCaseSegments(String name) {
        ActionName parsed = ActionName.parse(name);
        assertThat(parsed.toString()).isEqualTo(name);
        assertThat(ActionName.isValid(name)).isTrue();
    }

    @ParameterizedTest(name = "{0}: segment {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Billing.invoice.created | 0 | domain segment (1) 'Billing'",
                "billing.Invoice.created | 1 | entity segment (2) 'Invoice'",
                "billing.invoice.created! | 2 | action segment (3) 'created!'",
                "billing..created        | 1 | entity segment (2) is empty",
                "billing.invoice.        | 2 | action segment (3) is empty",
                "billing.invoice.login__failed | 2 | 'login__failed'",
                "billing.invoice._created | 2 | '_created'",
                "billing.invoice.created_ | 2 | 'created_'",
                "2fa.code.sent           | 0 | '2fa'",
                "auth.user-account.login | 1 | 'user-account'",
            })
    void rejectsABadSegmentNamingIt(String name, int segment, String inMessage) {
        assertThatThrownBy(() -> ActionName.parse(name.trim()))
                .isInstanceOfSatisfying(InvalidActionNameException.class, e -> {
                    assertThat(e.segmentIndex()).isEqualTo(segment);
                    assertThat(e.getMessage()).contains(inMessage.trim());
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing.invoice", "billing.invoice.created.v2", "billing", "a.b.c.d.e"})
    void rejectsTheWrongNumberOfSegments(String name) {
        assertThatThrownBy(() -> ActionName.parse(name)).isInstanceOfSatisfying(InvalidActionNameException.class, e -> {
            assertThat(e.segmentIndex()).isEqualTo(-1);
            assertThat(e.getMessage()).contains("expected 3");
        });
    }

    @Test
    void rejectsNullAndEmpty() {
        assertThatThrownBy(() -> ActionName.parse(null)).isInstanceOf(InvalidActionNameException.class);
        assertThatThrownBy(() -> ActionName.parse("")).hasMessageContaining("empty");
    }

    @Test
    void exposesItsDomainPattern() {
        ActionName n = ActionName.parse("billing.invoice.created");
        assertThat(n.domain()).isEqualTo("billing");
        assertThat(n.entity()).isEqualTo("invoice");
        assertThat(n.action()).isEqualTo("created");
        assertThat(n.domainPattern().toString()).isEqualTo("billing.*");
        assertThat(n.domainPattern().matches(n)).isTrue();
    }

    /** The hand-written segment check says what the documented pattern says, on every short string over a small alphabet and on random longer ones. */
    @Test
    void segmentCheckAgreesWithThePattern() {
        char[] alphabet = {'a', 'z', '0', '9', '_', 'A', '-', '.', ' ', '\u00e9'};
        java.util.List<String> strings = new java.util.ArrayList<>(java.util.List.of(""));
        for (int len = 1; len <= 4; len++) {
            int total = (int) Math.pow(alphabet.length, len);
            for (int k = 0; k < total; k++) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0, v = k; i < len; i++, v /= alphabet.length) {
                    sb.append(alphabet[v % alphabet.length]);
                }
                strings.add(sb.toString());
            }
        }
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < 20_000; k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0, len = 5 + random.nextInt(20); i < len; i++) {
                sb.append(alphabet[random.nextInt(5)]);
            }
            strings.add(sb.toString());
        }
        int valid = 0;
        for (String s : strings) {
            boolean expected = ActionName.SEGMENT.matcher(s).matches();
            assertThat(ActionName.isSegment(s)).as("'%s'", s).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("valid segments among the generated strings").isGreaterThan(1_000);
    }
}
