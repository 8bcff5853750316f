package org.sehathub.mappers.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.mpi.PersonLinkRule.Compared;
import org.sehathub.mappers.mpi.PersonLinkRule.Decision;

/** Which person a record joins: the rule errs on the side of not linking. */
class PersonLinkRuleTest {

    private static Compared compared(String record, String person, MatchGrade grade, double score) {
        return new Compared(record, person, new MatchResult(score, grade, List.of()), false);
    }

    private static Compared contradicting(String record, String person) {
        return new Compared(
                record,
                person,
                new MatchResult(
                        -20, MatchGrade.CERTAINLY_NOT, List.of(new MatchResult.Evidence("cnic", "differs", -25.0))),
                false);
    }

    @Test
    void withoutCandidatesARecordIsAPersonOfItsOwn() {
        Decision decision = PersonLinkRule.decide(List.of());
        assertThat(decision.person()).isNull();
        assertThat(decision.joinedBy()).isNull();
        assertThat(decision.toReview()).isEmpty();
    }

    @Test
    void aRecordJoinsThePersonOfItsBestLinkingCandidateCertainBeforeAHigherProbable() {
        Decision decision = PersonLinkRule.decide(List.of(
                compared("1", "p-a", MatchGrade.PROBABLE, 30),
                compared("2", "p-b", MatchGrade.CERTAIN, 21),
                compared("3", "p-c", MatchGrade.CERTAINLY_NOT, 2)));
        assertThat(decision.person()).isEqualTo("p-b");
        assertThat(decision.joinedBy().record()).isEqualTo("2");
        assertThat(decision.toReview())
                .as("the other person it links to waits for an operator; the non-match is not reviewed")
                .extracting(Compared::person)
                .containsExactly("p-a");
    }

    @Test
    void possibleMatchesAreReviewedOncePerPersonTheBestPairAndNeverLinked() {
        Decision decision = PersonLinkRule.decide(List.of(
                compared("1", "p-a", MatchGrade.POSSIBLE, 7),
                compared("2", "p-a", MatchGrade.POSSIBLE, 9),
                compared("3", "p-b", MatchGrade.POSSIBLE, 8)));
        assertThat(decision.person()).isNull();
        assertThat(decision.toReview()).extracting(Compared::record).containsExactly("2", "3");
    }

    @Test
    void aPersonOneOfWhoseRecordsTheRecordContradictsIsNotJoinedButReviewed() {
        // She matches one record of p-a on name and birth date, but another record of p-a carries a
        // different CNIC: p-a may already be two people, or she is someone else.
        Decision decision = PersonLinkRule.decide(
                List.of(compared("1", "p-a", MatchGrade.PROBABLE, 14), contradicting("2", "p-a")));
        assertThat(decision.person()).isNull();
        assertThat(decision.toReview()).extracting(Compared::record).containsExactly("1");
    }

    @Test
    void aPairAnOperatorKeptApartIsNeitherLinkedNorReviewedAgain() {
        Compared keptApart = new Compared("1", "p-a", new MatchResult(25, MatchGrade.CERTAIN, List.of()), true);
        Decision decision = PersonLinkRule.decide(List.of(keptApart, compared("2", "p-b", MatchGrade.PROBABLE, 12)));
        assertThat(decision.person()).isEqualTo("p-b");
        assertThat(decision.toReview()).isEmpty();

        Decision alone = PersonLinkRule.decide(List.of(keptApart, compared("3", "p-a", MatchGrade.PROBABLE, 13)));
        assertThat(alone.person())
                .as("nor another record of the person she was kept apart from")
                .isNull();
        assertThat(alone.toReview()).extracting(Compared::record).containsExactly("3");
    }
}
