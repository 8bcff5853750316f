package org.sehathub.ingest.hl7v2;

import static org.sehathub.ingest.InFlight.step;

import org.apache.camel.builder.RouteBuilder;
import org.sehathub.ingest.BundleStorage;
import org.sehathub.ingest.FileInbox;
import org.sehathub.ingest.IngestErrorHandling;
import org.sehathub.ingest.IngestProperties;

/**
 * HL7 v2 in: over MLLP ({@code hl7v2-mllp-inbound}) and over HTTP ({@code hl7v2-http-inbound}),
 * both into {@code hl7v2-process}: parse, map, store, acknowledge, each step handing the next its
 * value ({@link org.sehathub.ingest.Inbound}, {@link Hl7v2Parsed}, {@link org.sehathub.ingest.Mapped},
 * {@link org.sehathub.ingest.Stored}). Refusals are
 * answered by {@link IngestErrorHandling}. An HTTP body that is a batch (FHS/BHS) is split by
 * {@link Hl7v2BatchProcessor} and each of its messages takes the same way; so is a file dropped in
 * the HL7 v2 inbox ({@code hl7v2-file-inbound}), answered with an {@code .ack} file beside it.
 *
 * <p>The MLLP consumer runs one thread per connection and handles a connection's messages one after
 * the other, acknowledging each before reading the next: messages from one sender are stored in the
 * order sent. Automatic acknowledgement is off, so the ACK is always the one this route built, and
 * only after the sink returned.
 */
public class Hl7v2Route extends RouteBuilder {

    public static final String PROCESS = "direct:hl7v2-process";

    private final IngestProperties properties;
    private final Hl7v2Receiver receiver;
    private final Hl7v2Translator translator;
    private final BundleStorage storage;
    private final Hl7v2BatchProcessor batches;
    private final FileInbox inbox;
    private final Hl7v2FileResponder fileResponder;

    /**
     * @param inbox the watched folder for HL7 v2 files
     * @param fileResponder answers a file from it
     */
    public Hl7v2Route(
            IngestProperties properties,
            Hl7v2Receiver receiver,
            Hl7v2Translator translator,
            BundleStorage storage,
            Hl7v2BatchProcessor batches,
            FileInbox inbox,
            Hl7v2FileResponder fileResponder) {
        this.fileResponder = fileResponder;
        this.properties = properties;
        this.receiver = receiver;
        this.translator = translator;
        this.storage = storage;
        this.batches = batches;
        this.inbox = inbox;
    }

    @Override
    public void configure() {
        if (properties.mllp().enabled()) {
            GuardedMllpComponent mllp = new GuardedMllpComponent(
                    properties.mllp().maxConnectionsPerPeer(),
                    properties.mllp().tls().handshakeTimeout());
            // Set before the consumer exists: its buffers copy the flag when they are created.
            mllp.setLogPhi(false);
            getContext().removeComponent("mllp");
            getContext().addComponent("mllp", mllp);
            from(mllpUri(properties.mllp()))
                    .routeId(Hl7v2Receiver.MLLP_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromMllp))
                    .to(PROCESS);
        }
        if (properties.http().enabled()) {
            from("platform-http:/ingest/hl7v2?httpMethodRestrict=POST")
                    .routeId(Hl7v2Receiver.HTTP_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromHttp))
                    .choice()
                    .when(Hl7v2BatchProcessor::isBatch)
                    .process(batches::process)
                    .otherwise()
                    .to(PROCESS)
                    .end();
            from(Hl7v2BatchProcessor.MEMBER)
                    .routeId(Hl7v2Receiver.BATCH_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromBatch))
                    .to(PROCESS);
        }
        IngestProperties.Inbox folder = properties.hl7v2().inbox();
        if (folder.enabled()) {
            from(FileInbox.consumerUri(
                            inbox.root(), "*.hl7,*.HL7,*.txt,*.TXT", folder.pollDelay(), folder.readLockInterval()))
                    .routeId(Hl7v2Receiver.FILE_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromFile))
                    .process(step(batches::processFile))
                    .process(fileResponder::answer);
            from(Hl7v2BatchProcessor.FILE_MEMBER)
                    .routeId(Hl7v2Receiver.FILE_MEMBER_ROUTE)
                    .routeConfigurationId(IngestErrorHandling.ID)
                    .process(step(receiver::fromFileMember))
                    .to(PROCESS);
        }
        from(PROCESS)
                .routeId("hl7v2-process")
                .routeConfigurationId(IngestErrorHandling.ID)
                .process(step(translator::parse))
                .process(step(translator::map))
                .process(step(storage::store))
                .process(storage::respond);
    }

    /**
     * The MLLP endpoint. {@code receiveTimeout} is how often an idle connection is looked at, so it
     * is kept at or below the idle timeout; {@code hl7Headers} is off because the routes read MSH
     * themselves.
     *
     * <p>{@code maxBufferSize} is twice the message limit: a message up to there is read whole and
     * refused with an AR by {@link Hl7v2Receiver#fromMllp}; beyond it camel-mllp stops reading and the
     * connection is reset (or, when the oversized message is the very first thing sent on a new
     * connection, left unread until the sender gives up), without an acknowledgement.
     */
    static String mllpUri(IngestProperties.Mllp mllp) {
        long idle = mllp.idleTimeout().toMillis();
        long receive = Math.max(100, Math.min(idle, 15_000));
        return "mllp://" + mllp.host() + ":" + mllp.port()
                + "?autoAck=false"
                // After a crash the port still has connections in TIME_WAIT; without SO_REUSEADDR a
                // restarted server cannot listen on it again for up to a minute.
                + "&reuseAddress=true"
                + "&hl7Headers=false"
                + "&validatePayload=false"
                + "&stringPayload=false"
                + "&maxConcurrentConsumers=" + mllp.maxConnections()
                + "&idleTimeout=" + idle
                + "&receiveTimeout=" + receive
                + "&readTimeout=" + mllp.readTimeout().toMillis()
                + "&maxBufferSize=" + (int) Math.min(Integer.MAX_VALUE - 8, 2L * mllp.maxMessageBytes() + 3)
                + (mllp.tls().enabled() ? "&sslContextParameters=#" + MllpTls.BEAN : "");
    }
}
