package org.sehathub.ingest.hl7v2;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpComponentConfigurer;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpEndpointConfigurer;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.apache.camel.spi.PropertyConfigurer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mllp with two guards it lacks: a cap on the connections one peer address may hold open
 * (so one misbehaving sender cannot take every slot of {@code maxConcurrentConsumers}), and on a TLS
 * listener a short deadline for the handshake (a peer that has not presented a valid client
 * certificate holds a slot for seconds, not for the ten-minute idle timeout of real senders).
 *
 * <p>Both act before a connection's consumer starts: a refused connection is reset without reading
 * anything from it, so no message is lost (nothing was acknowledged on it). The peer address is
 * logged, never anything it sent.
 */
public class GuardedMllpComponent extends MllpComponent {

    private static final Logger log = LoggerFactory.getLogger(GuardedMllpComponent.class);

    private final int maxConnectionsPerPeer;
    private final Duration handshakeTimeout;

    /**
     * @param maxConnectionsPerPeer connections one peer address may have open at once
     * @param handshakeTimeout how long a TLS peer has to complete the handshake with a valid client
     *     certificate
     */
    public GuardedMllpComponent(int maxConnectionsPerPeer, Duration handshakeTimeout) {
        this.maxConnectionsPerPeer = maxConnectionsPerPeer;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** camel-mllp's generated configurers: they are found by class name, which a subclass changes. */
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new MllpComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new MllpEndpointConfigurer();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, Object> options = new HashMap<>(parameters);
        MllpEndpoint parsed = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        GuardedEndpoint endpoint = new GuardedEndpoint(uri, this, parsed.getConfiguration());
        endpoint.setHostname(parsed.getHostname());
        endpoint.setPort(parsed.getPort());
        endpoint.setCharsetName(parsed.getCharsetName());
        // MllpConfiguration.copy() (in the endpoint's constructor) drops some options, maxBufferSize
        // among them: the URI's options are applied to this endpoint again.
        setProperties(endpoint, options);
        return endpoint;
    }

    private final class GuardedEndpoint extends MllpEndpoint {

        GuardedEndpoint(String uri, MllpComponent component, MllpConfiguration configuration) {
            super(uri, component, configuration);
        }

        @Override
        public org.apache.camel.Consumer createConsumer(Processor processor) throws Exception {
            GuardedConsumer consumer = new GuardedConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    private final class GuardedConsumer extends MllpTcpServerConsumer {

        GuardedConsumer(MllpEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        /** Runs on the accept thread for each new connection, before anything is read from it. */
        @Override
        public void validateConsumer(Socket socket) {
            InetAddress peer = socket.getInetAddress();
            long open = getConsumerRunnables().keySet().stream()
                    .map(TcpSocketConsumerRunnable::getSocket)
                    .filter(s -> s != null && !s.isClosed() && peer.equals(s.getInetAddress()))
                    .count();
            if (open >= maxConnectionsPerPeer) {
                log.warn(
                        "MLLP connection from {} refused: it already has {} open (sehat.ingest.mllp.max-connections-per-peer)",
                        peer.getHostAddress(),
                        open);
                reset(socket);
                return;
            }
            super.validateConsumer(socket);
        }

        /**
         * Runs once the first read (which starts a TLS handshake) has returned or timed out. A TLS
         * peer gets {@code handshakeTimeout} to finish authenticating; then the usual timeouts apply.
         */
        @Override
        public void startConsumer(Socket socket, MllpSocketBuffer buffer) {
            if (socket instanceof SSLSocket tls && !authenticated(tls)) {
                log.warn(
                        "MLLP connection from {} closed: no valid client certificate within {}",
                        socket.getInetAddress().getHostAddress(),
                        handshakeTimeout);
                reset(socket);
                return;
            }
            super.startConsumer(socket, buffer);
        }

        private boolean authenticated(SSLSocket tls) {
            try {
                int usual = tls.getSoTimeout();
                tls.setSoTimeout((int) handshakeTimeout.toMillis());
                // getSession() completes the handshake if it has not finished, within SO_TIMEOUT.
                tls.getSession().getPeerCertificates();
                tls.setSoTimeout(usual);
                return true;
            } catch (IOException e) {
                // SSLPeerUnverifiedException among them: the handshake failed or did not finish.
                return false;
            }
        }

        private static void reset(Socket socket) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                log.debug("Closing a refused MLLP connection failed", e);
            }
        }
    }
}
