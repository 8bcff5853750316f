package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sehathub.ingest.Refusal.FailureClass;
import org.sehathub.ingest.deadletter.DeadLetterKeeper;
import org.sehathub.ingest.sink.SinkUnavailableException;
import org.sehathub.ingest.support.InMemoryDeadLetterStore;
import org.sehathub.mappers.MappingException;

/**
 * The failure classes (refused for its content, refused by policy, transient, internal): each
 * failure a step can throw falls in one, and whichever it is, the message is answered once, by its
 * channel's responder, and kept as a dead letter once (or, when too large, not kept).
 */
class RefusalTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                arguments(new MappingException("PID-7", "birth date is in the future"), FailureClass.CONTENT, 1),
                arguments(
                        new MessageRejectedException("MSH-12", "version '2.9' is not supported", "203"),
                        FailureClass.CONTENT,
                        1),
                arguments(new BodyTooLargeException(2_000_000, 1_000_000), FailureClass.CONTENT, 0),
                arguments(
                        new SenderNotPermittedException("MSH-4", "may not send for this facility"),
                        FailureClass.POLICY,
                        1),
                arguments(new SinkUnavailableException("connection refused", null), FailureClass.TRANSIENT, 1),
                arguments(new IllegalStateException("a bug of ours"), FailureClass.INTERNAL, 1));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("failures")
    void eachFailureHasItsClassAndIsAnsweredOnceAndKeptOnce(Throwable failure, FailureClass expected, int kept) {
        Refusal refusal = Refusal.of(failure);
        assertThat(refusal.kind().failureClass()).isEqualTo(expected);

        InMemoryDeadLetterStore store = new InMemoryDeadLetterStore();
        IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry(), facility -> true);
        AtomicInteger answered = new AtomicInteger();
        IngestResponder responder = new IngestResponder() {
            @Override
            public void accepted(Exchange exchange, Stored stored) {
                throw new AssertionError("a refused message is never accepted");
            }

            @Override
            public void refused(Exchange exchange, Refused refused) {
                answered.incrementAndGet();
            }
        };
        IngestChannel channel = new IngestChannel() {
            @Override
            public boolean owns(String source) {
                return "hl7v2".equals(source);
            }

            @Override
            public IngestResponder responder(Inbound inbound) {
                return responder;
            }

            @Override
            public String processRoute() {
                return "direct:unused";
            }

            @Override
            public Inbound replay(org.sehathub.ingest.deadletter.DeadLetter letter, int attempt) {
                throw new UnsupportedOperationException();
            }
        };
        RefusalHandler handler = new RefusalHandler(
                new DeadLetterKeeper(store, metrics), metrics, IngestAudit.NONE, new IngestChannels(List.of(channel)));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage()
                .setBody(Inbound.builder()
                        .source("hl7v2")
                        .transport("http")
                        .route("test")
                        .receivedAt(Instant.parse("2024-06-01T05:00:00Z"))
                        .payload("MSH|^~\\&|".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .contentType("x-application/hl7-v2+er7")
                        .build());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);

        handler.handle(exchange);

        assertThat(answered).as("answered once").hasValue(1);
        assertThat(store.all()).as("kept as a dead letter").hasSize(kept);
        Refused refused = InFlight.body(exchange, Refused.class);
        assertThat(refused.refusal().kind()).isEqualTo(refusal.kind());
        assertThat(refused.deadLetterId())
                .as("the dead letter it became")
                .isEqualTo(kept == 1 ? store.all().get(0).id() : null);
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("failures")
    void onlyATransientFailureTellsTheSenderToSendAgainLater(Throwable failure, FailureClass expected, int kept) {
        String told = Refusal.of(failure).summary();
        if (expected == FailureClass.TRANSIENT) {
            assertThat(told).contains("send again later");
        } else {
            assertThat(told).doesNotContain("later");
        }
    }
}
