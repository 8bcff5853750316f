package org.sehathub.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

/** Users of the sign-in page: hashes only, and who they are in the record. */
class SmartUsersTest {

    private static final String HASH = SmartClientTool.hashPassword("ayesha-password");

    @Test
    void aPatientUserIsHerOwnRecord() {
        SmartUsers users = new SmartUsers(List.of(
                new SecurityProperties.User("ayesha", HASH, "Patient/123", "Ayesha", ""),
                new SecurityProperties.User("dr-sana", HASH, "Practitioner/45", "", "")));

        assertThat(users.patientOf("ayesha")).contains("123");
        assertThat(users.patientOf("dr-sana")).isEmpty();
        assertThat(users.loadUserByUsername("ayesha").getPassword()).isEqualTo(HASH);
        assertThatThrownBy(() -> users.loadUserByUsername("nobody")).isInstanceOf(UsernameNotFoundException.class);
    }

    @Test
    void anAnalystNeedsNoRecordAndSignsInToAnalystsToolsOnly() {
        SecurityProperties.User nadia = new SecurityProperties.User("nadia", HASH, "", "Nadia", "analyst");
        SecurityProperties.User ayesha = new SecurityProperties.User("ayesha", HASH, "Patient/123", "", "");
        new SmartUsers(List.of(nadia, ayesha));
        SecurityProperties.Client dashboard = DashboardClient.of(new SecurityProperties(
                        true,
                        "https://hub.example.pk/",
                        null,
                        null,
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        new SecurityProperties.Dashboard(true, List.of("http://127.0.0.1/dashboard/"))))
                .orElseThrow();
        assertThat(dashboard.redirectUris())
                .containsExactly("http://127.0.0.1/dashboard/", "https://hub.example.pk/dashboard/");
        assertThat(dashboard.isPublic()).isTrue();
        DashboardClient.checkMaySignIn(nadia, dashboard);
        assertThatThrownBy(() -> DashboardClient.checkMaySignIn(ayesha, dashboard))
                .as("a patient never reaches the aggregates")
                .isInstanceOfSatisfying(
                        OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("access_denied"));
        SecurityProperties.Client app = new SecurityProperties.Client(
                "app", "", Role.APP, List.of(), "", "", List.of(), "", "", false, List.of("https://app/cb"));
        DashboardClient.checkMaySignIn(ayesha, app);
        assertThatThrownBy(() -> DashboardClient.checkMaySignIn(nadia, app))
                .as("an analyst's account never opens a clinical app")
                .isInstanceOf(OAuth2AuthenticationException.class);
    }

    @Test
    void refusesAPasswordInClearABadReferenceAndDuplicates() {
        assertThatThrownBy(() ->
                        new SmartUsers(List.of(new SecurityProperties.User("a", "secret123", "Patient/1", "", ""))))
                .hasMessageContaining("never a password");
        assertThatThrownBy(
                        () -> new SmartUsers(List.of(new SecurityProperties.User("a", HASH, "Observation/1", "", ""))))
                .hasMessageContaining("fhir-user");
        assertThatThrownBy(() -> new SmartUsers(List.of(new SecurityProperties.User("a", HASH, "", "", ""))))
                .as("only an analyst may have no record")
                .hasMessageContaining("fhir-user");
        assertThatThrownBy(() -> new SmartUsers(List.of(new SecurityProperties.User("a", HASH, "", "", "operator"))))
                .hasMessageContaining("role");
        assertThatThrownBy(() ->
                        new SmartUsers(List.of(new SecurityProperties.User("a", HASH, "Patient/1", "", "analyst"))))
                .hasMessageContaining("not a patient");
        SecurityProperties.User twice = new SecurityProperties.User("a", HASH, "Patient/1", "", "");
        assertThatThrownBy(() -> new SmartUsers(List.of(twice, twice))).hasMessageContaining("twice");
    }
}
