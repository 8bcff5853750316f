package org.sehathub.server.security;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The host names a request may be addressed to, enforced by Spring Security's firewall: a request
 * with any other {@code Host} is refused (400) before it reaches anything. Against DNS rebinding,
 * where a web page's script reaches a server on the victim's loopback under the attacker's own
 * host name. Loopback names are always allowed; a server reached by other names lists them in
 * {@code sehat.security.allowed-hosts}.
 */
public final class HostAllowList {

    private HostAllowList() {}

    public static StrictHttpFirewall firewall(Set<String> hosts) {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHostnames(host -> host != null && hosts.contains(host.toLowerCase(Locale.ROOT)));
        return firewall;
    }

    /** Loopback, the configured names, and the hosts of the configured public URLs. */
    public static Set<String> hosts(Iterable<String> configured, String... urls) {
        Set<String> hosts = new TreeSet<>(Set.of("localhost", "127.0.0.1", "[::1]", "::1", "0:0:0:0:0:0:0:1"));
        configured.forEach(h -> hosts.add(h.trim().toLowerCase(Locale.ROOT)));
        for (String url : urls) {
            if (url != null && !url.isBlank()) {
                String host = URI.create(url.trim()).getHost();
                if (host != null) {
                    hosts.add(host.toLowerCase(Locale.ROOT));
                }
            }
        }
        return hosts;
    }
}
