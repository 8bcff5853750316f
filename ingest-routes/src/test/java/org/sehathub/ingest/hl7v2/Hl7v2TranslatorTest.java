package org.sehathub.ingest.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestProperties;
import org.sehathub.ingest.Mapped;
import org.sehathub.ingest.MessageRejectedException;
import org.sehathub.ingest.support.Hl7Messages;
import org.sehathub.mappers.terminology.TerminologyMaps;

/** The translator's own decisions, without a route: processing ids and the test-data tag. */
class Hl7v2TranslatorTest {

    private static final TerminologyMaps TERMINOLOGY = TerminologyMaps.loadDefault();

    private static Exchange exchange(String message) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage()
                .setBody(Inbound.builder()
                        .source("hl7v2")
                        .transport("mllp")
                        .route("test")
                        .receivedAt(Instant.parse("2024-06-01T05:00:00Z"))
                        .payload(message.getBytes(StandardCharsets.UTF_8))
                        .build());
        return exchange;
    }

    /** The two steps of the route, each handing the next its value. */
    private static Mapped translate(Hl7v2Translator translator, Exchange exchange) {
        exchange.getMessage().setBody(translator.parse(exchange));
        return translator.map(exchange);
    }

    private static Hl7v2Translator translator(String... processingIds) {
        return new Hl7v2Translator(
                TERMINOLOGY,
                Clock.systemUTC(),
                new IngestProperties.Hl7v2(
                        Set.of(processingIds),
                        5000,
                        2000,
                        new IngestProperties.Inbox(
                                false, null, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(2))));
    }

    @Test
    void refusesTrainingMessagesUnlessAnOperatorAcceptsThemAndThenTagsThemAsTestData() {
        String training =
                Hl7Messages.registration("Mayo Hospital Lahore", "T-1", "MR-T").replace("|T-1|P|", "|T-1|T|");

        assertThatThrownBy(() -> translate(translator("P"), exchange(training)))
                .isInstanceOf(MessageRejectedException.class)
                .satisfies(e -> assertThat(((MessageRejectedException) e).hl7ErrorCode())
                        .isEqualTo("202"));

        Bundle bundle = translate(translator("P", "T"), exchange(training)).bundle();
        assertThat(bundle.getEntry())
                .isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.getResource()
                                .getMeta()
                                .getTag(Hl7v2Translator.TEST_DATA_SYSTEM, Hl7v2Translator.TEST_DATA))
                        .as(entry.getFullUrl())
                        .isNotNull());

        Exchange production = exchange(Hl7Messages.registration("Mayo Hospital Lahore", "P-1", "MR-P"));
        assertThat(translate(translator("P", "T"), production).bundle().getEntry())
                .noneSatisfy(entry ->
                        assertThat(entry.getResource().getMeta().getTag()).isNotEmpty());
    }
}
