package org.sehathub.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.SenderNotPermittedException;

/** The MLLP side of the sender registry: certificate subjects, plain MLLP from loopback only. */
class IngestSenderPolicyTest {

    private static final String MAYO_SUBJECT = "CN=mayo-his, O=Mayo Hospital Lahore, C=PK";

    @Test
    void aCertificateSubjectNamesItsSenderWhateverTheSpacingOfTheName() throws Exception {
        IngestSenderPolicy policy = new IngestSenderPolicy(registry(false));

        assertThatCode(() ->
                        policy.check(tls("CN=mayo-his,O=Mayo Hospital Lahore,C=PK"), "MSH-4", "Mayo Hospital Lahore"))
                .doesNotThrowAnyException();
        assertThatCode(() -> policy.check(
                        tls("CN=mayo-his,O=Mayo Hospital Lahore,C=PK"), "MSH-4", "MAYO-HOSPITAL-LAHORE^1.2^ISO"))
                .as("an HD's first component, compared as a namespace")
                .doesNotThrowAnyException();
        assertThatThrownBy(() ->
                        policy.check(tls("CN=mayo-his,O=Mayo Hospital Lahore,C=PK"), "MSH-4", "Services Hospital"))
                .isInstanceOf(SenderNotPermittedException.class)
                .hasMessageContaining("may not send for facility Services Hospital");
        assertThatThrownBy(() -> policy.check(tls("CN=someone-else,C=PK"), "MSH-4", "Mayo Hospital Lahore"))
                .isInstanceOf(SenderNotPermittedException.class)
                .hasMessageContaining("not registered");
        assertThatThrownBy(() -> policy.check(tls("CN=mayo-his,O=Mayo Hospital Lahore,C=PK"), "MSH-4", ""))
                .hasMessageContaining("names no facility");
    }

    @Test
    void plainMllpIsAcceptedFromLoopbackOnlyAndOnlyForTheNamedSender() throws Exception {
        assertThatThrownBy(() -> new IngestSenderPolicy(registry(false))
                        .check(plain("/127.0.0.1:40000"), "MSH-4", "Mayo Hospital Lahore"))
                .as("no sender named for plain MLLP")
                .hasMessageContaining("mllp-loopback");
        IngestSenderPolicy policy = new IngestSenderPolicy(registry(true));
        assertThatCode(() -> policy.check(plain("/127.0.0.1:40000"), "MSH-4", "Mayo Hospital Lahore"))
                .doesNotThrowAnyException();
        assertThatCode(() -> policy.check(plain("localhost/127.0.0.1:40000"), "MSH-4", "Mayo Hospital Lahore"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check(plain("/10.1.2.3:40000"), "MSH-4", "Mayo Hospital Lahore"))
                .hasMessageContaining("plain MLLP is accepted from this machine only");
        assertThatThrownBy(() -> policy.check(plain(null), "MSH-4", "Mayo Hospital Lahore"))
                .isInstanceOf(SenderNotPermittedException.class);
    }

    @Test
    void readsSocketAddressesAsCamelWritesThem() {
        assertThat(IngestSenderPolicy.isLoopback("/127.0.0.1:2575")).isTrue();
        assertThat(IngestSenderPolicy.isLoopback("/[0:0:0:0:0:0:0:1]:2575")).isTrue();
        assertThat(IngestSenderPolicy.isLoopback("/192.168.1.20:2575")).isFalse();
        assertThat(IngestSenderPolicy.isLoopback("")).isFalse();
    }

    private static Exchange tls(String subject) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(MllpConstants.MLLP_SSL_CLIENT_CERT_SUBJECT_NAME, subject);
        exchange.getMessage().setHeader(MllpConstants.MLLP_REMOTE_ADDRESS, "/10.1.2.3:40000");
        return exchange;
    }

    private static Exchange plain(String remote) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(MllpConstants.MLLP_REMOTE_ADDRESS, remote);
        return exchange;
    }

    private static ClientRegistry registry(boolean loopback) throws Exception {
        String jwks =
                new JWKSet(new ECKeyGenerator(Curve.P_384).keyID("k").generate().toPublicJWK()).toString();
        return new ClientRegistry(
                List.of(new SecurityProperties.Client(
                        "mayo",
                        "",
                        Role.HOSPITAL,
                        List.of("system/*.rs"),
                        jwks,
                        "",
                        List.of("Mayo Hospital Lahore"),
                        "",
                        MAYO_SUBJECT,
                        loopback,
                        List.of())),
                Duration.ofMinutes(5));
    }
}
