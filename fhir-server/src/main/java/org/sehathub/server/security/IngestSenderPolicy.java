package org.sehathub.server.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.sehathub.ingest.SenderNotPermittedException;
import org.sehathub.ingest.SenderPolicy;
import org.sehathub.mappers.NamingSystems;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Who sent an ingested message, and whether it may send for the facility the message names: the
 * sender registry of docs/security.md ("Ingest senders").
 *
 * <ul>
 *   <li>HTTP: the client of the request's access token. Camel answers HTTP on a thread of its own,
 *       where Spring Security's thread-bound context is not set; the request carries it as an
 *       attribute ({@link RequestAttributeSecurityContextRepository}).
 *   <li>MLLP over TLS: the hospital registered with the subject of the sender's client certificate
 *       ({@code mllp-certificate-subject}); camel-mllp names it in each exchange.
 *   <li>Plain MLLP: only from loopback, and only as the one hospital registered with
 *       {@code mllp-loopback: true}.
 * </ul>
 *
 * Then the facility (HL7 MSH-4, the CSV clinic, the telehealth provider) must be one of the
 * sender's {@code facilities}, compared as the identifier namespaces the mappers make of them
 * ({@code Mayo Hospital Lahore} = {@code mayo-hospital-lahore}): the registry, not the message,
 * decides whose patients a message may touch.
 */
public class IngestSenderPolicy implements SenderPolicy {

    private final ClientRegistry clients;

    public IngestSenderPolicy(ClientRegistry clients) {
        this.clients = clients;
    }

    @Override
    public void check(Exchange exchange, String location, String facility) {
        Sender sender = sender(exchange);
        if (facility == null || facility.isBlank()) {
            throw new SenderNotPermittedException(
                    location, "names no facility; " + sender.name() + " sends for " + sender.facilities());
        }
        String namespace = namespaceOf(facility);
        if (sender.facilities().stream().noneMatch(f -> namespaceOf(f).equals(namespace))) {
            throw new SenderNotPermittedException(
                    location,
                    sender.name() + " may not send for facility " + facility + "; it is registered for "
                            + sender.facilities());
        }
    }

    /** The registered client that sent the message, if one did: for the audit trail. */
    public Optional<String> clientOf(Exchange exchange) {
        try {
            return Optional.of(sender(exchange).clientId());
        } catch (SenderNotPermittedException e) {
            return Optional.empty();
        }
    }

    private Sender sender(Exchange exchange) {
        return exchange.getMessage() instanceof PlatformHttpMessage http ? httpSender(http) : mllpSender(exchange);
    }

    @Override
    public boolean isRegistered(String facility) {
        return clients.isRegisteredFacility(namespaceOf(senderFacility(facility)));
    }

    /** A telehealth sender is kept as {@code app|provider}; the provider is the facility. */
    private static String senderFacility(String sender) {
        return sender.contains("|") ? sender.substring(sender.indexOf('|') + 1) : sender;
    }

    private record Sender(String clientId, String name, Collection<String> facilities) {}

    private static Sender httpSender(PlatformHttpMessage http) {
        HttpServletRequest request = http.getRequest();
        Object context = request.getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME);
        return Optional.ofNullable(context instanceof SecurityContext security ? security.getAuthentication() : null)
                .flatMap(Caller::of)
                .map(caller -> new Sender(caller.clientId(), "client " + caller.clientId(), caller.facilities()))
                .orElseThrow(() ->
                        new SenderNotPermittedException("Authorization", "no authenticated client on this request"));
    }

    private Sender mllpSender(Exchange exchange) {
        String subject = exchange.getMessage().getHeader(MllpConstants.MLLP_SSL_CLIENT_CERT_SUBJECT_NAME, String.class);
        if (subject != null) {
            SecurityProperties.Client client = clients.findByCertificateSubject(subject)
                    .orElseThrow(() -> new SenderNotPermittedException(
                            "MSH-4",
                            "the client certificate " + subject
                                    + " is not registered for any sender (mllp-certificate-subject)"));
            return new Sender(client.id(), "sender " + client.id(), client.facilities());
        }
        String remote = exchange.getMessage().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class);
        if (!isLoopback(remote)) {
            throw new SenderNotPermittedException(
                    "MSH-4",
                    "plain MLLP is accepted from this machine only; use TLS with a" + " registered client certificate");
        }
        SecurityProperties.Client client = clients.loopbackSender()
                .orElseThrow(
                        () -> new SenderNotPermittedException(
                                "MSH-4",
                                "plain MLLP from loopback is accepted only for a hospital registered with mllp-loopback: true"));
        return new Sender(client.id(), "sender " + client.id(), client.facilities());
    }

    /** camel-mllp writes the peer as a socket address: {@code /127.0.0.1:53122}, {@code localhost/127.0.0.1:53122}. */
    static boolean isLoopback(String remote) {
        if (remote == null || remote.isBlank()) {
            return false;
        }
        String host = remote.substring(remote.lastIndexOf('/') + 1);
        int port = host.lastIndexOf(':');
        host = port > 0 ? host.substring(0, port) : host;
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The facility's first HL7 component, as the identifier namespace the mappers make of it. */
    static String namespaceOf(String facility) {
        String name = facility.contains("^") ? facility.substring(0, facility.indexOf('^')) : facility;
        return name.isBlank() ? "" : NamingSystems.slug(name);
    }
}
