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
    void theEarlierYearsValueIsItsOwnParent() {
        assertThat(Dimensions.parent("month").apply("before-2017")).isEqualTo("before-2017");
        assertThat(Dimensions.parent("day").apply("before-2017")).isEqualTo("before-2017");
        assertThat(Dimensions.parent("month").apply("2018-03")).isEqualTo("2018");
        assertThat(Dimensions.parent("day").apply("2018-03-14")).isEqualTo("2018-03");
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
