package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HL7 v2 over MLLP with TLS and client certificates, on PostgreSQL, over a real socket: a sender is
 * known by its certificate, which the registry maps to the facilities it may send for.
 */
class MllpTlsIT {

    private static final String MRN_SYSTEM = "https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore";

    @TempDir
    static Path dir;

    static TestCertificates certificates;
    static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.make(dir, TestClients.MAYO_CERTIFICATE_SUBJECT);
        Map<String, String> settings = new HashMap<>(RunningServer.postgres(
                TestPostgres.newDatabase("mllptls"), dir.resolve("data").toString()));
        settings.put("sehat.ingest.mllp.tls.enabled", "true");
        settings.put(
                "sehat.ingest.mllp.tls.key-store",
                certificates.keyStore("server").toString());
        settings.put("sehat.ingest.mllp.tls.key-store-password", TestCertificates.PASSWORD);
        settings.put(
                "sehat.ingest.mllp.tls.trust-store", certificates.trustStore().toString());
        settings.put("sehat.ingest.mllp.tls.trust-store-password", TestCertificates.PASSWORD);
        settings.put("sehat.ingest.mllp.tls.handshake-timeout", "1s");
        server = RunningServer.start(settings, "postgres");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRegisteredCertificateSendsForItsFacility() throws Exception {
        String mrn = "MR-" + UUID.randomUUID();
        try (MllpTestClient mllp = new MllpTestClient(server.mllpPort(), certificates.clientContext("registered"))) {
            assertThat(MllpTestClient.ackCode(mllp.send(registration("Mayo Hospital Lahore", mrn))))
                    .isEqualTo("AA");
        }
        assertThat(patients(mrn)).isEqualTo(1);
    }

    @Test
    void aRegisteredCertificateCannotSendForAnotherFacility() throws Exception {
        String mrn = "MR-" + UUID.randomUUID();
        try (MllpTestClient mllp = new MllpTestClient(server.mllpPort(), certificates.clientContext("registered"))) {
            String ack = mllp.send(registration("Services Hospital Lahore", mrn));
            assertThat(MllpTestClient.ackCode(ack)).isEqualTo("AR");
            assertThat(ack).contains("may not send for facility Services Hospital Lahore");
        }
        assertThat(patients(mrn)).isZero();
    }

    @Test
    void aCertificateOfTheTrustedAuthorityThatNoSenderIsRegisteredForIsRefused() throws Exception {
        String mrn = "MR-" + UUID.randomUUID();
        try (MllpTestClient mllp = new MllpTestClient(server.mllpPort(), certificates.clientContext("unregistered"))) {
            String ack = mllp.send(registration("Mayo Hospital Lahore", mrn));
            assertThat(MllpTestClient.ackCode(ack)).isEqualTo("AR");
            assertThat(ack).contains("is not registered");
        }
        assertThat(patients(mrn)).isZero();
    }

    @Test
    void noCertificateOrOneFromAnotherAuthorityFailsTheHandshake() throws Exception {
        for (String client : new String[] {null, "rogue"}) {
            var context = certificates.clientContext(client);
            assertThatThrownBy(() -> {
                        try (MllpTestClient mllp = new MllpTestClient(server.mllpPort(), context)) {
                            mllp.send(registration("Mayo Hospital Lahore", "MR-" + UUID.randomUUID()));
                        }
                    })
                    .as(client == null ? "no client certificate" : "another authority's certificate")
                    .isInstanceOfAny(java.io.IOException.class, java.io.UncheckedIOException.class);
        }
    }

    @Test
    void plainMllpOnTheTlsPortGetsNoAcknowledgement() {
        assertThatThrownBy(() -> {
                    try (MllpTestClient mllp = new MllpTestClient(server.mllpPort())) {
                        mllp.send(registration("Mayo Hospital Lahore", "MR-" + UUID.randomUUID()));
                    }
                })
                .isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void aPeerThatNeverAuthenticatesIsDisconnectedLongBeforeTheIdleTimeout() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", server.mllpPort())) {
            silent.setSoTimeout(8_000);
            long started = System.nanoTime();
            try {
                // The server may send a TLS alert before it closes: read to the end.
                while (silent.getInputStream().read() != -1) {
                    continue;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("still connected after 8 s; the idle timeout is 10 minutes", e);
            } catch (IOException e) {
                // reset by the server
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        }
        // The listener still serves senders that do authenticate.
        aRegisteredCertificateSendsForItsFacility();
    }

    private static int patients(String mrn) {
        Bundle found = server.client()
                .fhir()
                .search()
                .byUrl(server.client().fhirBase() + "/Patient?identifier=" + MRN_SYSTEM + "|" + mrn)
                .returnBundle(Bundle.class)
                .execute();
        return found.getEntry().size();
    }

    private static String registration(String facility, String mrn) {
        return String.join(
                "\r",
                "MSH|^~\\&|MAYO-HIS|" + facility + "|SEHATHUB|SEHATHUB|20240315101500+0500||ADT^A04^ADT_A01|TLS-"
                        + UUID.randomUUID() + "|P|2.5",
                "EVN|A04|20240315101500",
                "PID|1||" + mrn + "^^^Mayo Hospital Lahore^MR||Khan^Ayesha||19900101|F",
                "PV1|1|O");
    }
}
