package org.sehathub.ingest.telehealth;

import static org.sehathub.ingest.InFlight.step;

import org.apache.camel.builder.RouteBuilder;
import org.sehathub.ingest.BundleStorage;
import org.sehathub.ingest.IngestErrorHandling;
import org.sehathub.ingest.IngestProperties;

/**
 * Telehealth JSON in: {@code POST /ingest/telehealth/consultations} ({@code
 * telehealth-http-inbound}) into {@code telehealth-process}: read, map, store, answer synchronously.
 */
public class TelehealthRoute extends RouteBuilder {

    public static final String PROCESS = "direct:telehealth-process";

    private final IngestProperties properties;
    private final TelehealthReceiver receiver;
    private final TelehealthTranslator translator;
    private final BundleStorage storage;

    public TelehealthRoute(
            IngestProperties properties,
            TelehealthReceiver receiver,
            TelehealthTranslator translator,
            BundleStorage storage) {
        this.properties = properties;
        this.receiver = receiver;
        this.translator = translator;
        this.storage = storage;
    }

    @Override
    public void configure() {
        if (properties.http().enabled()) {
            from("platform-http:/ingest/telehealth/consultations?httpMethodRestrict=POST")
                    .routeId(TelehealthReceiver.HTTP_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromHttp))
                    .to(PROCESS);
        }
        from(PROCESS)
                .routeId("telehealth-process")
                .routeConfigurationId(IngestErrorHandling.ID)
                .process(step(translator::read))
                .process(step(translator::map))
                .process(step(storage::store))
                .process(storage::respond);
    }
}
