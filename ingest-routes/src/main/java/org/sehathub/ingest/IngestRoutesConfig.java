package org.sehathub.ingest;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.sehathub.ingest.csv.ClinicCsvReceiver;
import org.sehathub.ingest.csv.ClinicCsvResponder;
import org.sehathub.ingest.csv.ClinicCsvRoute;
import org.sehathub.ingest.csv.ClinicCsvTranslator;
import org.sehathub.ingest.csv.CsvRejectedRows;
import org.sehathub.ingest.deadletter.DeadLetterController;
import org.sehathub.ingest.deadletter.DeadLetterKeeper;
import org.sehathub.ingest.deadletter.DeadLetterReplayer;
import org.sehathub.ingest.deadletter.DeadLetterStore;
import org.sehathub.ingest.fhir.FhirBundleReceiver;
import org.sehathub.ingest.fhir.FhirBundleResponder;
import org.sehathub.ingest.fhir.FhirBundleRoute;
import org.sehathub.ingest.fhir.FhirBundleTranslator;
import org.sehathub.ingest.hl7v2.AckBuilder;
import org.sehathub.ingest.hl7v2.Hl7v2BatchProcessor;
import org.sehathub.ingest.hl7v2.Hl7v2FileResponder;
import org.sehathub.ingest.hl7v2.Hl7v2Receiver;
import org.sehathub.ingest.hl7v2.Hl7v2Responder;
import org.sehathub.ingest.hl7v2.Hl7v2Route;
import org.sehathub.ingest.hl7v2.Hl7v2Translator;
import org.sehathub.ingest.hl7v2.MllpPayloadLogGuard;
import org.sehathub.ingest.hl7v2.MllpTls;
import org.sehathub.ingest.sink.BundleSink;
import org.sehathub.ingest.telehealth.TelehealthReceiver;
import org.sehathub.ingest.telehealth.TelehealthResponder;
import org.sehathub.ingest.telehealth.TelehealthRoute;
import org.sehathub.ingest.telehealth.TelehealthTranslator;
import org.sehathub.mappers.terminology.TerminologyMaps;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The ingest routes and everything they need, for the application to {@code @Import}.
 *
 * <p>The application provides: a {@link BundleSink} and a {@link DeadLetterStore} (the database), the
 * {@link TerminologyMaps}, a {@link Clock}, a {@link MeterRegistry}, and the Spring
 * {@code ThreadPoolTaskExecutor} on which Camel's platform-http runs each request (Spring Boot's
 * default one, or the server's own where HAPI's executors make Spring Boot's back off). Everything else is here:
 * one route per source (HL7 v2 over MLLP and HTTP, clinic CSV over HTTP and watched folders,
 * telehealth JSON over HTTP, FHIR transaction Bundles over HTTP), the shared error handling, and the
 * dead-letter API.
 *
 * <p>{@code sehat.ingest.enabled=false} leaves all of it out.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
@ConditionalOnProperty(prefix = "sehat.ingest", name = "enabled", matchIfMissing = true)
public class IngestRoutesConfig {

    @Bean
    public MllpPayloadLogGuard mllpPayloadLogGuard(Environment environment) {
        return new MllpPayloadLogGuard(environment);
    }

    @Bean
    public IngestMetrics ingestMetrics(MeterRegistry registry, ObjectProvider<SenderPolicy> senders) {
        return new IngestMetrics(registry, senders.getIfAvailable(() -> SenderPolicy.ANYONE)::isRegistered);
    }

    @Bean
    public DeadLetterKeeper deadLetterKeeper(DeadLetterStore store, IngestMetrics metrics) {
        return new DeadLetterKeeper(store, metrics);
    }

    /** The registry of channels: who answers a message of each source, and where it is replayed. */
    @Bean
    public IngestChannels ingestChannels(
            Hl7v2Receiver hl7v2, ClinicCsvReceiver csv, TelehealthReceiver telehealth, FhirBundleReceiver fhir) {
        return new IngestChannels(List.of(hl7v2, csv, telehealth, fhir));
    }

    @Bean
    public RefusalHandler refusalHandler(
            DeadLetterKeeper keeper,
            IngestMetrics metrics,
            ObjectProvider<IngestAudit> audit,
            IngestChannels channels) {
        return new RefusalHandler(keeper, metrics, audit.getIfAvailable(() -> IngestAudit.NONE), channels);
    }

    @Bean
    public IngestErrorHandling ingestErrorHandling(RefusalHandler refusals) {
        return new IngestErrorHandling(refusals);
    }

    @Bean
    public BundleStorage bundleStorage(
            BundleSink sink, IngestMetrics metrics, ObjectProvider<IngestAudit> audit, IngestChannels channels) {
        return new BundleStorage(sink, metrics, audit.getIfAvailable(() -> IngestAudit.NONE), channels);
    }

    // HL7 v2

    @Bean
    public Hl7v2Responder hl7v2Responder(Clock clock) {
        return new Hl7v2Responder(new AckBuilder(clock));
    }

    /** The HL7 v2 watched folder ({@code sehat.ingest.hl7v2.inbox.dir}). */
    @Bean
    public FileInbox hl7v2Inbox(IngestProperties properties, Environment environment, Clock clock) {
        Path inbox = properties.hl7v2().inbox().dir() != null
                ? properties.hl7v2().inbox().dir()
                : Path.of(environment.getProperty("sehat.data-dir", "./data"), "inbox", "hl7v2");
        return new FileInbox(inbox.toAbsolutePath().normalize(), clock);
    }

    @Bean
    public Hl7v2FileResponder hl7v2FileResponder(
            @Qualifier("hl7v2Inbox") FileInbox hl7v2Inbox, Hl7v2Responder responder) {
        return new Hl7v2FileResponder(hl7v2Inbox, responder);
    }

    @Bean
    public Hl7v2Receiver hl7v2Receiver(
            Clock clock,
            Hl7v2Responder responder,
            Hl7v2FileResponder fileResponder,
            IngestProperties properties,
            ObjectProvider<SenderPolicy> senders) {
        return new Hl7v2Receiver(
                clock,
                responder,
                fileResponder,
                properties.http().maxBodyBytes(),
                properties.mllp().maxMessageBytes(),
                senders.getIfAvailable(() -> SenderPolicy.ANYONE));
    }

    /** TLS for the MLLP listener, when {@code sehat.ingest.mllp.tls.enabled} (the endpoint names this bean). */
    @Bean(MllpTls.BEAN)
    @ConditionalOnProperty(name = "sehat.ingest.mllp.tls.enabled", havingValue = "true")
    public SSLContextParameters sehatMllpTls(IngestProperties properties) {
        return MllpTls.parameters(properties.mllp().tls());
    }

    @Bean
    public Hl7v2Translator hl7v2Translator(TerminologyMaps terminology, Clock clock, IngestProperties properties) {
        return new Hl7v2Translator(terminology, clock, properties.hl7v2());
    }

    @Bean
    public Hl7v2Route hl7v2Route(
            IngestProperties properties,
            Hl7v2Receiver receiver,
            Hl7v2Translator translator,
            BundleStorage storage,
            Clock clock,
            @Qualifier("hl7v2Inbox") FileInbox hl7v2Inbox,
            Hl7v2FileResponder fileResponder) {
        return new Hl7v2Route(
                properties,
                receiver,
                translator,
                storage,
                new Hl7v2BatchProcessor(new AckBuilder(clock)),
                hl7v2Inbox,
                fileResponder);
    }

    // Clinic CSV

    @Bean
    public FileInbox csvInbox(IngestProperties properties, Environment environment, Clock clock) {
        Path root = properties.csv().inboxDir() != null
                ? properties.csv().inboxDir()
                : Path.of(environment.getProperty("sehat.data-dir", "./data"), "inbox", "csv");
        return new FileInbox(root.toAbsolutePath().normalize(), clock);
    }

    @Bean
    public ClinicCsvResponder clinicCsvResponder(@Qualifier("csvInbox") FileInbox inbox) {
        return new ClinicCsvResponder(inbox);
    }

    @Bean
    public ClinicCsvReceiver clinicCsvReceiver(
            Clock clock,
            ClinicCsvResponder responder,
            IngestProperties properties,
            ObjectProvider<SenderPolicy> senders) {
        return new ClinicCsvReceiver(
                clock, responder, properties.http().maxBodyBytes(), senders.getIfAvailable(() -> SenderPolicy.ANYONE));
    }

    @Bean
    public ClinicCsvTranslator clinicCsvTranslator(
            TerminologyMaps terminology, Clock clock, IngestProperties properties) {
        return new ClinicCsvTranslator(terminology, clock, properties.csv().maxRows());
    }

    @Bean
    public CsvRejectedRows csvRejectedRows(DeadLetterKeeper keeper) {
        return new CsvRejectedRows(keeper);
    }

    @Bean
    public ClinicCsvRoute clinicCsvRoute(
            IngestProperties properties,
            @Qualifier("csvInbox") FileInbox inbox,
            ClinicCsvReceiver receiver,
            ClinicCsvTranslator translator,
            BundleStorage storage,
            CsvRejectedRows rejectedRows) {
        return new ClinicCsvRoute(properties, inbox, receiver, translator, storage, rejectedRows);
    }

    // Telehealth

    @Bean
    public TelehealthResponder telehealthResponder() {
        return new TelehealthResponder();
    }

    @Bean
    public TelehealthReceiver telehealthReceiver(
            Clock clock,
            TelehealthResponder responder,
            IngestProperties properties,
            ObjectProvider<SenderPolicy> senders) {
        return new TelehealthReceiver(
                clock, responder, properties.http().maxBodyBytes(), senders.getIfAvailable(() -> SenderPolicy.ANYONE));
    }

    @Bean
    public TelehealthTranslator telehealthTranslator(TerminologyMaps terminology, Clock clock) {
        return new TelehealthTranslator(terminology, clock);
    }

    @Bean
    public TelehealthRoute telehealthRoute(
            IngestProperties properties,
            TelehealthReceiver receiver,
            TelehealthTranslator translator,
            BundleStorage storage) {
        return new TelehealthRoute(properties, receiver, translator, storage);
    }

    // FHIR transaction Bundles

    @Bean
    public FhirBundleResponder fhirBundleResponder() {
        return new FhirBundleResponder(FhirContext.forR4Cached());
    }

    @Bean
    public FhirBundleReceiver fhirBundleReceiver(
            Clock clock,
            FhirBundleResponder responder,
            IngestProperties properties,
            ObjectProvider<SenderPolicy> senders) {
        return new FhirBundleReceiver(
                clock, responder, properties.http().maxBodyBytes(), senders.getIfAvailable(() -> SenderPolicy.ANYONE));
    }

    @Bean
    public FhirBundleTranslator fhirBundleTranslator(TerminologyMaps terminology) {
        return new FhirBundleTranslator(FhirContext.forR4Cached(), terminology);
    }

    @Bean
    public FhirBundleRoute fhirBundleRoute(
            IngestProperties properties,
            FhirBundleReceiver receiver,
            FhirBundleTranslator translator,
            BundleStorage storage) {
        return new FhirBundleRoute(properties, receiver, translator, storage);
    }

    // Dead letters

    @Bean
    public DeadLetterReplayer deadLetterReplayer(CamelContext camel, DeadLetterStore store, IngestChannels channels) {
        return new DeadLetterReplayer(camel, store, channels);
    }

    @Bean
    public DeadLetterController deadLetterController(
            DeadLetterStore store, DeadLetterReplayer replayer, ObjectProvider<IngestAudit> audit) {
        return new DeadLetterController(store, replayer, audit.getIfAvailable(() -> IngestAudit.NONE));
    }
}
