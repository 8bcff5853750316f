package org.sehathub.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Users of the sign-in page: hashes only, and who they are in the record. */
class SmartUsersTest {

    private static final String HASH = SmartClientTool.hashPassword("ayesha-password");

    @Test
    void aPatientUserIsHerOwnRecord() {
        SmartUsers users = new SmartUsers(List.of(
                new SecurityProperties.User("ayesha", HASH, "Patient/123", "Ayesha"),
                new SecurityProperties.User("dr-sana", HASH, "Practitioner/45", "")));

        assertThat(users.patientOf("ayesha")).contains("123");
        assertThat(users.patientOf("dr-sana")).isEmpty();
        assertThat(users.loadUserByUsername("ayesha").getPassword()).isEqualTo(HASH);
        assertThatThrownBy(() -> users.loadUserByUsername("nobody")).isInstanceOf(UsernameNotFoundException.class);
    }

    @Test
    void refusesAPasswordInClearABadReferenceAndDuplicates() {
        assertThatThrownBy(
                        () -> new SmartUsers(List.of(new SecurityProperties.User("a", "secret123", "Patient/1", ""))))
                .hasMessageContaining("never a password");
        assertThatThrownBy(() -> new SmartUsers(List.of(new SecurityProperties.User("a", HASH, "Observation/1", ""))))
                .hasMessageContaining("fhir-user");
        SecurityProperties.User twice = new SecurityProperties.User("a", HASH, "Patient/1", "");
        assertThatThrownBy(() -> new SmartUsers(List.of(twice, twice))).hasMessageContaining("twice");
    }
}
