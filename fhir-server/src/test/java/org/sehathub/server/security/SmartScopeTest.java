package org.sehathub.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sehathub.server.security.SmartScope.Context;
import org.sehathub.server.security.SmartScope.Permission;

class SmartScopeTest {

    @Test
    void readsV2PermissionsInTheirOrder() {
        SmartScope scope = SmartScope.parse("system/Observation.rs").orElseThrow();

        assertThat(scope.context()).isEqualTo(Context.SYSTEM);
        assertThat(scope.resourceType()).isEqualTo("Observation");
        assertThat(scope.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
        assertThat(SmartScope.parse("user/Encounter.cruds").orElseThrow().permissions())
                .hasSize(5);
        assertThat(scope.toString()).isEqualTo("system/Observation.rs");
    }

    @Test
    void readsV1NamesAsTheirV2Equivalents() {
        assertThat(SmartScope.parse("patient/*.read").orElseThrow().permissions())
                .isEqualTo(Set.of(Permission.READ, Permission.SEARCH));
        assertThat(SmartScope.parse("system/Patient.write").orElseThrow().permissions())
                .isEqualTo(Set.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE));
        assertThat(SmartScope.parse("system/*.*").orElseThrow().permissions()).hasSize(5);
    }

    @Test
    void refusesWhatItDoesNotUnderstandRatherThanGuessing() {
        for (String text : List.of(
                "system/Observation.sr",
                "system/Observation.",
                "system/Observation.rsx",
                "system/Observation.rs?category=laboratory",
                "admin/*.rs",
                "system/observation.rs",
                "openid",
                "system/*",
                "",
                "system/*.cruds ")) {
            assertThat(SmartScope.parse(text)).as(text).isEmpty();
        }
    }

    @Test
    void aWildcardCoversEachTypeButNotTheOtherWayRound() {
        SmartScope all = SmartScope.parse("system/*.rs").orElseThrow();
        SmartScope observations = SmartScope.parse("system/Observation.rs").orElseThrow();

        assertThat(all.covers(observations)).isTrue();
        assertThat(all.covers(SmartScope.parse("system/Observation.read").orElseThrow()))
                .isTrue();
        assertThat(all.covers(SmartScope.parse("system/Observation.r").orElseThrow()))
                .isTrue();
        assertThat(observations.covers(all)).isFalse();
        assertThat(all.covers(SmartScope.parse("system/Observation.cruds").orElseThrow()))
                .isFalse();
        assertThat(all.covers(SmartScope.parse("patient/Observation.rs").orElseThrow()))
                .as("another context")
                .isFalse();
    }
}
