package org.sehathub.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.sehathub.server.config.FhirProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * {@code sehat.security.enabled=false}: no tokens, every caller may do everything, as before access
 * control existed. For development on one machine only: refused at start-up unless the HTTP server
 * and the MLLP listener both listen on loopback.
 */
@Configuration
@EnableWebSecurity
@ConditionalOnProperty(name = "sehat.security.enabled", havingValue = "false")
public class SecurityOffConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityOffConfig.class);

    @Bean
    public SecurityFilterChain everythingAllowed(HttpSecurity http, Environment environment) throws Exception {
        requireLoopback("server.address", environment.getProperty("server.address", "0.0.0.0"));
        requireLoopback("sehat.ingest.mllp.host", environment.getProperty("sehat.ingest.mllp.host", "127.0.0.1"));
        log.warn("Authorization is OFF (sehat.security.enabled=false): anyone who can reach this machine's"
                + " loopback ports can read and change every record. For development only.");
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Even on loopback, only requests addressed to loopback's names: DNS rebinding targets exactly this. */
    @Bean
    public StrictHttpFirewall httpFirewall(SecurityProperties security, FhirProperties fhir) {
        return HostAllowList.firewall(
                HostAllowList.hosts(security.allowedHosts(), security.issuer(), fhir.serverAddress()));
    }

    /** Refuses to start when {@code address} can be reached from another machine. */
    static void requireLoopback(String property, String address) {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalStateException("sehat.security.enabled=false is for development on loopback only, but "
                    + property + " is " + address + ". Set " + property + " to 127.0.0.1, or turn authorization on.");
        }
    }
}
