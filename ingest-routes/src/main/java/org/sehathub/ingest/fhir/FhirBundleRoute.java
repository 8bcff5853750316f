package org.sehathub.ingest.fhir;

import static org.sehathub.ingest.InFlight.step;

import org.apache.camel.builder.RouteBuilder;
import org.sehathub.ingest.BundleStorage;
import org.sehathub.ingest.IngestErrorHandling;
import org.sehathub.ingest.IngestProperties;

/**
 * FHIR in, as a channel: {@code POST /ingest/fhir} ({@code fhir-http-inbound}) into {@code
 * fhir-process}: read, normalize, store, answer. The same transaction Bundle posted to {@code /fhir}
 * is normalized alike but has no receipt and no dead letter; here a Bundle sent twice is stored
 * once, and a refused one is kept for an operator to replay.
 */
public class FhirBundleRoute extends RouteBuilder {

    public static final String PROCESS = "direct:fhir-process";

    private final IngestProperties properties;
    private final FhirBundleReceiver receiver;
    private final FhirBundleTranslator translator;
    private final BundleStorage storage;

    public FhirBundleRoute(
            IngestProperties properties,
            FhirBundleReceiver receiver,
            FhirBundleTranslator translator,
            BundleStorage storage) {
        this.properties = properties;
        this.receiver = receiver;
        this.translator = translator;
        this.storage = storage;
    }

    @Override
    public void configure() {
        if (properties.http().enabled()) {
            from("platform-http:/ingest/fhir?httpMethodRestrict=POST")
                    .routeId(FhirBundleReceiver.HTTP_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromHttp))
                    .to(PROCESS);
        }
        from(PROCESS)
                .routeId("fhir-process")
                .routeConfigurationId(IngestErrorHandling.ID)
                .process(step(translator::read))
                .process(step(translator::map))
                // The Bundle is the sender's own: stored with the sender's rights, not ours.
                .process(step(storage::storeAsSender))
                .process(storage::respond);
    }
}
