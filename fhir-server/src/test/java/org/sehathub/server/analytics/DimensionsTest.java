package org.sehathub.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DimensionsTest {

    @Test
    void theEarlierYearsValueGoesWithItselfOnlyInTwoTimeDimensions() {
        List<String> monthByYear = List.of("month", "year");
        assertThat(Dimensions.consistent(monthByYear, List.of("before-2017", "before-2017")))
                .isTrue();
        assertThat(Dimensions.consistent(monthByYear, List.of("before-2017", "2018")))
                .isFalse();
        assertThat(Dimensions.consistent(monthByYear, List.of("2018-03", "before-2017")))
                .isFalse();
        assertThat(Dimensions.consistent(List.of("week", "year"), List.of("2018-W10", "before-2017")))
                .isFalse();
        assertThat(Dimensions.consistent(List.of("month", "mode"), List.of("before-2017", "virtual")))
                .isTrue();
        assertThat(Dimensions.consistent(monthByYear, List.of("2018-03", "2018")))
                .isTrue();
        assertThat(Dimensions.consistent(monthByYear, List.of("2018-03", "2019")))
                .isFalse();
    }

    @Test
    void aTimeValueLiesWithinTheCoarserValuesAnAnalystCanAskForAndTheEarlierYearsValueWithinItself() {
        assertThat(ancestors("month", "2018-03")).containsExactly("2018-Q1", "2018");
        assertThat(ancestors("quarter", "2018-Q4")).containsExactly("2018");
        assertThat(ancestors("week", "2016-W52")).containsExactly("2016");
        assertThat(ancestors("day", "2018-03-14")).containsExactly("2018-03", "2018-W11", "2018-Q1", "2018");
        // 2026-01-01 is in the first ISO week of 2026, 2027-01-01 in the last of 2026
        assertThat(ancestors("day", "2026-01-01")).containsExactly("2026-01", "2026-W01", "2026-Q1", "2026");
        assertThat(ancestors("day", "2027-01-01")).containsExactly("2027-01", "2026-W53", "2027-Q1", "2027");
        assertThat(ancestors("day", "before-2017")).containsOnly("before-2017");
        assertThat(ancestors("month", "before-2017")).containsOnly("before-2017");
        assertThat(ancestors("day", "unknown")).containsOnly("unknown");
        assertThat(Dimensions.ancestors("district")).isEmpty();
    }

    private static List<String> ancestors(String dimension, String value) {
        return Dimensions.ancestors(dimension).stream().map(a -> a.apply(value)).toList();
    }

    @Test
    void aTimeDimensionCountsEventsBeforeTheFirstYearTogether() {
        assertThat(Dimensions.expression("month", 2017))
                .startsWith("CASE WHEN substr(b.event_date, 1, 4) < '2017' THEN 'before-2017' ELSE ");
        assertThat(Dimensions.expression("sex", 2017)).doesNotContain("before-");
        assertThat(Dimensions.yearOf("2016-W52")).isEqualTo(2016);
        assertThat(Dimensions.yearOf("before-2017")).isEqualTo(-1);
        assertThat(Dimensions.yearOf("unknown")).isEqualTo(-1);
    }
}
