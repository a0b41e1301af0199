package io.quintet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ActionPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "billing.*,                 billing.invoice.created,   true",
        "*.login_failed,            auth.user.login_failed,    true",
        "billing.*.created,         billing.invoice.created,   true",
        "billing.invoice.created,   billing.invoice.created,   true",
        "*,                         auth.user.login_failed,    true",
        "*.user.*,                  auth.user.login_failed,    true",
        "auth.*.login_failed,       auth.user.login_failed,    true",
        "billing.*,                 billing,                   false",
        "billing.*,                 billingx.invoice.created,  false",
        "billing.*,                 auth.user.login_failed,    false",
        "*.login_failed,            auth.user.login_failed_2,  false",
        "*.login_failed,            login_failed,              false",
        "billing.*.created,         billing.invoice.paid,      false",
        "billing.*.created,         billing.created,           false",
        "billing.invoice.created,   billing.invoice.created_v2, false",
        "*.*,                       auth.user.login_failed,    true",
        "*.*.*,                     auth.user.login_failed,    true",
    })
    void starStandsForOneOrMoreWholeSegments(String pattern, String name, boolean matches) {
        assertThat(ActionPattern.parse(pattern).matches(name)).isEqualTo(matches);
    }

    @Test
    void neverMatchesNullOrEmpty() {
        assertThat(ActionPattern.parse("*").matches((String) null)).isFalse();
        assertThat(ActionPattern.parse("*").matches("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing.**", "billing.inv*", "Billing.*", "billing..created", "a.b.c.d", "*.*.*.*", ""})
    void rejectsMalformedPatterns(String pattern) {
        assertThatThrownBy(() -> ActionPattern.parse(pattern)).isInstanceOf(InvalidActionNameException.class);
    }

    @Test
    void knowsWhetherItIsLiteral() {
        assertThat(ActionPattern.parse("billing.invoice.created").isLiteral()).isTrue();
        assertThat(ActionPattern.parse("billing.*").isLiteral()).isFalse();
        assertThat(ActionPattern.parse("billing.*")).isEqualTo(ActionPattern.parse("billing.*"));
    }
}
