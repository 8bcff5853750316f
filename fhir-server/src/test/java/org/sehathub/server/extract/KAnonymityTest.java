package org.sehathub.server.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The k-anonymity check tried on random populations: whatever they are, no combination of the
 * quasi-identifiers released is shared by fewer than k people, nobody is released twice or
 * invented, and the least generalization that does so is chosen.
 */
class KAnonymityTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    @Provide
    Arbitrary<Map<String, KAnonymity.Quasi>> populations() {
        Arbitrary<KAnonymity.Quasi> person = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(1925, 2026),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.of("female", "male"),
                        Arbitraries.of("Sindh", "Punjab"),
                        Arbitraries.of("Tharparkar", "Umerkot", "Lahore", null))
                .as((year, month, sex, province, district) -> new KAnonymity.Quasi(
                        year + "-" + String.format("%02d", month) + "-15", sex, province, district));
        return person.list().ofMinSize(0).ofMaxSize(400).map(list -> {
            Map<String, KAnonymity.Quasi> people = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                people.put("person-" + i, list.get(i));
            }
            return people;
        });
    }

    @Property(tries = 200)
    void everyReleasedCombinationIsSharedByAtLeastK(
            @ForAll("populations") Map<String, KAnonymity.Quasi> people, @ForAll @IntRange(min = 2, max = 10) int k) {
        KAnonymity.Result result = KAnonymity.check(people, k, TODAY);
        Map<KAnonymity.Released, Integer> groups = new HashMap<>();
        result.released().values().forEach(r -> groups.merge(r, 1, Integer::sum));
        assertThat(groups.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(k));
        assertThat(result.released().size() + result.dropped().size()).isEqualTo(people.size());
        assertThat(people.keySet()).containsAll(result.released().keySet());
        if (result.level() < KAnonymity.LEVELS.size() - 1) {
            assertThat(result.dropped().size())
                    .isLessThanOrEqualTo((int) (KAnonymity.MAX_DROPPED_SHARE * people.size()));
        }
    }

    @Test
    void theLeastGeneralizationIsChosenAndNinetyPlusIsOneGroup() {
        Map<String, KAnonymity.Quasi> people = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            people.put("a" + i, new KAnonymity.Quasi("1990-04-0" + (i % 9 + 1), "female", "Sindh", "Tharparkar"));
        }
        KAnonymity.Result months = KAnonymity.check(people, 5, TODAY);
        assertThat(months.level()).isZero();
        assertThat(months.released().get("a0").birth()).isEqualTo("1990-04");

        for (int i = 0; i < 10; i++) {
            people.put(
                    "b" + i,
                    new KAnonymity.Quasi(
                            "1990-" + String.format("%02d", i + 1) + "-01", "male", "Sindh", "Tharparkar"));
        }
        KAnonymity.Result years = KAnonymity.check(people, 5, TODAY);
        assertThat(years.level())
                .as("the men's birth months are all different: their years are shared")
                .isEqualTo(1);
        assertThat(years.released().get("b3").birth()).isEqualTo("1990");
        assertThat(years.dropped()).isEmpty();

        assertThat(KAnonymity.generalize(new KAnonymity.Quasi("1930-01-01", "male", "Sindh", null), TODAY, 0)
                        .birth())
                .isEqualTo(KAnonymity.NINETY_PLUS);
        assertThat(KAnonymity.generalize(new KAnonymity.Quasi("1990-06-01", "male", "Sindh", "X"), TODAY, 3))
                .isEqualTo(new KAnonymity.Released("1990-1994", "male", "Sindh", null));
        assertThat(List.of(KAnonymity.check(Map.of(), 5, TODAY).released())).containsExactly(Map.of());
    }
}
