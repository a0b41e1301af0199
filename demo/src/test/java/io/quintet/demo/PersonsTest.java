package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's fictitious people: each user id has one stable email, name and phone, in reserved ranges. */
class PersonsTest {

    @Test
    void aUserIdHasTheSameEmailNameAndPhoneEveryTime() {
        assertThat(Persons.email("user-42")).isEqualTo("user-42@example.com");
        assertThat(Persons.name("user-0")).isEqualTo("Ada Abernathy");
        // 17 = 1 * 16 + 1: the second first name and the second last name
        assertThat(Persons.name("user-17")).isEqualTo("Bruno Bellweather");
        assertThat(Persons.phone("user-42")).isEqualTo("+44 7700 900042");
        assertThat(Persons.phone("user-123456")).isEqualTo("+44 7700 923456");
        assertThat(Persons.name("user-42")).isEqualTo(Persons.name("user-42"));
    }

    @Test
    void phonesStayInTheFictitiousRangeAndEmailsOnExampleCom() {
        for (int i = 0; i < 2_000; i += 37) {
            String id = "user-" + i;
            assertThat(Persons.phone(id)).matches("\\+44 7700 9\\d{5}");
            assertThat(Persons.email(id)).endsWith("@example.com");
        }
    }

    @Test
    void the256FirstUsersHaveDistinctNames() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            names.add(Persons.name("user-" + i));
        }
        assertThat(names).hasSize(256);
    }

    @Test
    void anIdWithoutANumberStillHasAStablePerson() {
        assertThat(Persons.name("alice")).isEqualTo(Persons.name("alice")).matches("[A-Z][a-z]+ [A-Z][a-z]+");
        assertThat(Persons.phone("alice")).matches("\\+44 7700 9\\d{5}");
    }
}
