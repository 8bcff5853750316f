package org.sehathub.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.sink.BundleRejectedException;
import org.sehathub.ingest.sink.SinkUnavailableException;
import org.sehathub.ingest.sink.UnknownRecordException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/** How a failure to store is told to the sender: each class of failure once. */
class InProcessBundleSinkTest {

    @Test
    void aConditionalWriteThatFindsNothingIsAnUnknownRecord() {
        assertThat(InProcessBundleSink.classify(new ResourceNotFoundException("HAPI-0972: Invalid match URL")))
                .isInstanceOf(UnknownRecordException.class);
    }

    @Test
    void anEntryHapiCannotReadAsFhirIsRefusedNotAnInternalError() {
        assertThat(InProcessBundleSink.classify(
                        new DataFormatException("HAPI-1684: Unknown resource name \"Patientt\"")))
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("Patientt");
    }

    @Test
    void anUnreachableOrBusyDatabaseIsTransient() {
        assertThat(InProcessBundleSink.classify(new CannotCreateTransactionException("no connection")))
                .isInstanceOf(SinkUnavailableException.class);
        assertThat(InProcessBundleSink.classify(new DataAccessResourceFailureException(
                        "down", new SQLException("terminating connection", "57P01"))))
                .isInstanceOf(SinkUnavailableException.class);
        assertThat(InProcessBundleSink.classify(
                        new RuntimeException("deadlock", new SQLException("deadlock detected", "40P01"))))
                .isInstanceOf(SinkUnavailableException.class);
        assertThat(InProcessBundleSink.classify(
                        new RuntimeException("timeout", new SQLException("canceling statement", "57014"))))
                .isInstanceOf(SinkUnavailableException.class);
    }

    @Test
    void aRefusalByTheServerIsTheSendersToFix() {
        assertThat(InProcessBundleSink.classify(new InvalidRequestException("Observation.subject: invalid reference")))
                .isInstanceOf(BundleRejectedException.class)
                .isNotInstanceOf(UnknownRecordException.class);
    }

    @Test
    void aRefusalQuotingAMatchUrlNamesNoIdentifier() {
        RuntimeException refused = InProcessBundleSink.classify(
                new ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException(
                        "HAPI-0958: Failed to process conditional create. The supplied criteria "
                                + "Patient?identifier=https://fhir.sehathub.pk/sid/cnic%7C35202-4567891-3&_tag=x returned 2 matches"));
        assertThat(refused).isInstanceOf(BundleRejectedException.class);
        assertThat(refused.getMessage())
                .doesNotContain("35202")
                .contains("Patient?identifier=…&_tag=…")
                .contains("returned 2 matches");
    }

    @Test
    void aFaultOfOursIsNeverToldAsSendAgainLater() {
        RuntimeException bug = new NullPointerException("a bug");
        assertThat(InProcessBundleSink.classify(bug)).isSameAs(bug);
        InternalErrorException serverBug = new InternalErrorException("HAPI-0000: unexpected");
        assertThat(InProcessBundleSink.classify(serverBug)).isSameAs(serverBug);
        RuntimeException constraint =
                new RuntimeException("check violated", new SQLException("violates check", "23514"));
        assertThat(InProcessBundleSink.classify(constraint)).isSameAs(constraint);
    }
}
