package org.sehathub.ingest.hl7v2;

import java.util.List;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.sehathub.ingest.IngestProperties;

/**
 * The TLS settings of the MLLP listener, as Camel's {@link SSLContextParameters}: the server's key
 * store, the trust store of the authorities that sign senders' certificates, a client certificate
 * required (a sender without one fails the handshake), TLS 1.2 and 1.3 only. camel-mllp then puts
 * the sender's certificate subject in each exchange ({@code CamelMllpSslClientCertSubjectName}),
 * which the sender registry maps to the facilities it may send for.
 */
public final class MllpTls {

    /** The bean name the MLLP endpoint URI refers to. */
    public static final String BEAN = "sehatMllpTls";

    private MllpTls() {}

    public static SSLContextParameters parameters(IngestProperties.Tls tls) {
        if (tls.keyStore().isBlank() || tls.trustStore().isBlank()) {
            throw new IllegalStateException(
                    "sehat.ingest.mllp.tls.enabled=true needs key-store (the server's certificate) and trust-store"
                            + " (the authorities that sign senders' certificates)");
        }
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(store(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType()));
        keyManagers.setKeyPassword(tls.keyStorePassword());
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(store(tls.trustStore(), tls.trustStorePassword(), tls.keyStoreType()));

        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(ClientAuthentication.REQUIRE.name());

        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        parameters.setTrustManagers(trustManagers);
        parameters.setServerParameters(server);
        parameters.setSecureSocketProtocol("TLS");
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(List.of("TLSv1.3", "TLSv1.2"));
        parameters.setSecureSocketProtocols(protocols);
        return parameters;
    }

    private static KeyStoreParameters store(String file, String password, String type) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + file);
        store.setPassword(password);
        store.setType(type);
        return store;
    }
}
