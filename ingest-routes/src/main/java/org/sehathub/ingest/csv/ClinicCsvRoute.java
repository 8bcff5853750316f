package org.sehathub.ingest.csv;

import static org.sehathub.ingest.InFlight.step;

import org.apache.camel.builder.RouteBuilder;
import org.sehathub.ingest.BundleStorage;
import org.sehathub.ingest.FileInbox;
import org.sehathub.ingest.IngestErrorHandling;
import org.sehathub.ingest.IngestProperties;
import org.sehathub.mappers.csv.CsvLayout;

/**
 * Clinic CSV in: {@code POST /ingest/csv/{layout}} ({@code csv-http-inbound}) and one watched folder
 * per layout ({@code csv-file-inbound-<layout>}), both into {@code csv-process}: map, store the good
 * rows, keep the file as a dead letter when rows were rejected, answer with the report.
 *
 * <p>A file in an inbox is read only once it is complete: its size and modification time must stay
 * the same for {@code sehat.ingest.csv.read-lock-interval} ({@code readLock=changed}), and names
 * starting with a dot or not ending in {@code .csv} are never read, so an uploader can also write
 * {@code x.csv.part} and rename it when done.
 */
public class ClinicCsvRoute extends RouteBuilder {

    public static final String PROCESS = "direct:csv-process";

    private final IngestProperties properties;
    private final FileInbox inbox;
    private final ClinicCsvReceiver receiver;
    private final ClinicCsvTranslator translator;
    private final BundleStorage storage;
    private final CsvRejectedRows rejectedRows;

    public ClinicCsvRoute(
            IngestProperties properties,
            FileInbox inbox,
            ClinicCsvReceiver receiver,
            ClinicCsvTranslator translator,
            BundleStorage storage,
            CsvRejectedRows rejectedRows) {
        this.properties = properties;
        this.inbox = inbox;
        this.receiver = receiver;
        this.translator = translator;
        this.storage = storage;
        this.rejectedRows = rejectedRows;
    }

    public static String fileRouteId(CsvLayout layout) {
        return "csv-file-inbound-" + layout.urlName();
    }

    @Override
    public void configure() {
        if (properties.http().enabled()) {
            from("platform-http:/ingest/csv/{layout}?httpMethodRestrict=POST")
                    .routeId(ClinicCsvReceiver.HTTP_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromHttp))
                    .to(PROCESS);
        }
        if (properties.csv().enabled()) {
            for (CsvLayout layout : CsvLayout.values()) {
                from(fileUri(layout))
                        .routeId(fileRouteId(layout))
                        .routeConfigurationId(IngestErrorHandling.ID)
                        .process(step(exchange -> receiver.fromFile(exchange, layout)))
                        .to(PROCESS);
            }
        }
        from(PROCESS)
                .routeId("csv-process")
                .routeConfigurationId(IngestErrorHandling.ID)
                .process(step(translator::translate))
                .process(step(translator::requireAGoodRow))
                .process(step(storage::store))
                .process(step(rejectedRows::keep))
                .process(storage::respond);
    }

    private String fileUri(CsvLayout layout) {
        IngestProperties.Csv csv = properties.csv();
        return FileInbox.consumerUri(
                inbox.folder(layout.urlName()), "*.csv,*.CSV", csv.pollDelay(), csv.readLockInterval());
    }
}
