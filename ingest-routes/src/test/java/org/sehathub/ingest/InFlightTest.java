package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

/** The value a message travels as between steps, and how a step hands on the next. */
class InFlightTest {

    private static final Instant RECEIVED = Instant.parse("2024-06-01T05:00:00Z");

    private static Inbound inbound() {
        return Inbound.builder()
                .source("hl7v2")
                .transport("http")
                .route("test")
                .receivedAt(RECEIVED)
                .payload("MSH|^~\\&|".getBytes(StandardCharsets.UTF_8))
                .sender("raw facility")
                .messageId("raw id")
                .build();
    }

    /** Stands for platform-http's message, which holds the HTTP request a later step checks. */
    private static final class RequestMessage extends DefaultMessage {
        RequestMessage(CamelContext camel) {
            super(camel);
        }
    }

    @Test
    void aStepsValueBecomesTheBodyOfTheSameMessageEvenOnAnInOutExchange() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Exchange exchange = new DefaultExchange(camel, ExchangePattern.InOut);
        Message request = new RequestMessage(camel);
        request.setBody(inbound());
        exchange.setIn(request);

        InFlight.step(e -> InFlight.body(e, Inbound.class).identified("Mayo Hospital Lahore", "MSG-1"))
                .process(exchange);

        assertThat(exchange.getMessage()).as("the request's own message").isSameAs(request);
        assertThat(InFlight.body(exchange, Inbound.class).messageId()).isEqualTo("MSG-1");
    }

    @Test
    void identifyingAMessageMakesANewValueAndLeavesTheReceivedOneAsItWas() {
        Inbound received = inbound();

        Inbound identified = received.identified("Mayo Hospital Lahore", "MSG-1");

        assertThat(received.sender()).isEqualTo("raw facility");
        assertThat(received.messageId()).isEqualTo("raw id");
        assertThat(identified.sender()).isEqualTo("Mayo Hospital Lahore");
        assertThat(identified.messageId()).isEqualTo("MSG-1");
        assertThat(identified.payload()).isSameAs(received.payload());
        assertThat(identified.startNanos())
                .as("the answer's latency still counts from the arrival")
                .isEqualTo(received.startNanos());
    }

    @Test
    void aStepGivenTheWrongValueFailsLoudlyNamingWhatItGot() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(inbound());

        assertThatThrownBy(() -> InFlight.body(exchange, Mapped.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("carries Inbound, not a Mapped");
    }
}
