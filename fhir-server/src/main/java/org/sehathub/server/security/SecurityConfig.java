package org.sehathub.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sehathub.server.config.FhirProperties;
import org.sehathub.server.config.SehatProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * Access control, on by default (docs/security.md). Three filter chains:
 *
 * <ol>
 *   <li>the authorization server (Spring Authorization Server) at {@code /oauth2/*}: SMART Backend
 *       Services ({@code client_credentials} with a {@code private_key_jwt} assertion checked by
 *       {@link ClientAssertionDecoders}, scopes by {@link SmartScopeValidator}) and SMART App
 *       Launch ({@code authorization_code} with PKCE, OpenID Connect), tokens signed with
 *       {@link TokenSigningKey};
 *   <li>the sign-in page for App Launch ({@code /login}), users from {@link SmartUsers};
 *   <li>everything else as an OAuth2 resource server: a valid bearer token (this server's or a
 *       trusted issuer's) or 401, then the role decides which paths, and on {@code /fhir}
 *       {@link FhirAuthorizationRules} and its companions which resources.
 * </ol>
 *
 * <p>Off ({@code sehat.security.enabled=false}) only on loopback: see {@link SecurityOffConfig}.
 */
@Configuration
@EnableWebSecurity
@ConditionalOnProperty(name = "sehat.security.enabled", havingValue = "true", matchIfMissing = true)
public class SecurityConfig {

    /** Paths anyone may call: how to get a token, what the server is, whether it is up. */
    /** The authorization server's paths a browser app calls itself. */
    private static final Set<String> CORS_OAUTH_PATHS = Set.of("/oauth2/token", "/oauth2/jwks", "/oauth2/revoke");

    static final String[] PUBLIC_PATHS = {
        "/fhir/metadata", SmartConfiguration.PATH, "/actuator/health", "/actuator/health/**", "/error"
    };

    @Bean
    public ClientRegistry clientRegistry(SecurityProperties security) {
        List<SecurityProperties.Client> clients = new ArrayList<>(security.clients());
        DashboardClient.of(security).ifPresent(clients::add);
        return new ClientRegistry(clients, security.backendTokenLifetime());
    }

    @Bean
    public RSAKey tokenSigningKey(SehatProperties sehat) {
        return TokenSigningKey.loadOrCreate(sehat.dataDir().resolve("security").resolve("token-signing-key.json"));
    }

    @Bean
    public JWKSource<SecurityContext> jwkSource(RSAKey tokenSigningKey) {
        return new ImmutableJWKSet<>(new JWKSet(tokenSigningKey));
    }

    @Bean
    public AuthorizationServerSettings authorizationServerSettings(SecurityProperties security) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder()
                .authorizationEndpoint(SmartConfiguration.AUTHORIZE_PATH)
                .tokenEndpoint(SmartConfiguration.TOKEN_PATH)
                .jwkSetEndpoint(SmartConfiguration.JWKS_PATH);
        if (!security.issuer().isBlank()) {
            settings.issuer(security.issuer());
        }
        return settings.build();
    }

    @Bean
    public SeenAssertionIds seenAssertionIds(JdbcTemplate jdbc, Clock clock) {
        return new SeenAssertionIds(jdbc, clock);
    }

    @Bean
    public ExpiringAuthorizationService authorizationService(Clock clock) {
        return new ExpiringAuthorizationService(clock);
    }

    /**
     * Puts the client's role, facilities and organization into its access tokens; for a signed-in
     * user (SMART App Launch) also who she is ({@code fhirUser}) and, for a patient, her record
     * ({@code patient}), which confines the token to her compartment. Her ID token names her too.
     */
    @Bean
    public OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims(ClientRegistry clients, SmartUsers users) {
        return context -> {
            boolean signedIn = AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())
                    || AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType());
            Optional<SecurityProperties.User> user =
                    signedIn ? users.find(context.getPrincipal().getName()) : Optional.empty();
            user.ifPresent(u -> clients.find(context.getRegisteredClient().getClientId())
                    .ifPresent(client -> DashboardClient.checkMaySignIn(u, client)));
            String fhirUser = user.filter(u -> !u.fhirUser().isEmpty())
                    .map(u -> context.getAuthorizationServerContext().getIssuer() + "/fhir/" + u.fhirUser())
                    .orElse(null);
            if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                if (fhirUser != null && context.getAuthorizedScopes().contains("fhirUser")) {
                    context.getClaims().claim(Caller.FHIR_USER_CLAIM, fhirUser);
                }
                return;
            }
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            clients.find(context.getRegisteredClient().getClientId()).ifPresent(client -> {
                context.getClaims().claim(Caller.ROLE_CLAIM, client.role().claimValue());
                // A signed-in user's token has her as subject: the client is named apart (consent, audit).
                context.getClaims().claim(Caller.CLIENT_ID_CLAIM, client.id());
                if (!client.facilities().isEmpty()) {
                    context.getClaims().claim(Caller.FACILITIES_CLAIM, List.copyOf(client.facilities()));
                }
                if (!client.organization().isBlank()) {
                    context.getClaims().claim(Caller.ORGANIZATION_CLAIM, client.organization());
                }
            });
            if (fhirUser != null) {
                context.getClaims().claim(Caller.FHIR_USER_CLAIM, fhirUser);
                users.patientOf(context.getPrincipal().getName())
                        .ifPresent(patient -> context.getClaims().claim(Caller.PATIENT_CLAIM, patient));
            }
        };
    }

    /** The people who sign in to launch apps ({@code sehat.security.users}). */
    @Bean
    public SmartUsers smartUsers(SecurityProperties security) {
        return new SmartUsers(security.users());
    }

    /** Password hashes with their algorithm ({@code {bcrypt}...}), as Spring Security reads them. */
    @Bean
    public PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    @Order(1)
    public SecurityFilterChain authorizationServer(
            HttpSecurity http,
            JwtDecoder accessTokens,
            ClientRegistry clients,
            ExpiringAuthorizationService authorizations,
            SeenAssertionIds seen,
            SecurityProperties security,
            Clock clock,
            ObjectProvider<AccessEvents> accessEvents)
            throws Exception {
        AccessEvents audit = accessEvents.getIfAvailable(() -> AccessEvents.NONE);
        ClientAssertionDecoders assertions =
                new ClientAssertionDecoders(clients, seen, security.maxAssertionLifetime(), clock);
        SmartScopeValidator scopes = new SmartScopeValidator(clients);
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(
                        server,
                        as -> as.registeredClientRepository(clients)
                                .authorizationService(authorizations)
                                .clientAuthentication(auth -> auth.errorResponseHandler(auditedRefusal(audit))
                                        .authenticationConverters(
                                                converters -> converters.add(0, new AssertionClientIdConverter()))
                                        .authenticationProviders(providers -> providers.forEach(p -> {
                                            if (p instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                                jwt.setJwtDecoderFactory(assertions);
                                            }
                                        })))
                                .tokenEndpoint(token -> token.authenticationProviders(
                                                providers -> providers.forEach(p -> {
                                                    if (p
                                                            instanceof
                                                            OAuth2ClientCredentialsAuthenticationProvider credentials) {
                                                        credentials.setAuthenticationValidator(scopes);
                                                    }
                                                }))
                                        .accessTokenResponseHandler(audited(launchContextInTokenResponse(), audit))
                                        .errorResponseHandler(auditedRefusal(audit)))
                                // SMART App Launch: openid and fhirUser (ID tokens, userinfo).
                                .oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // A browser sent to /oauth2/authorize without a session signs in first, then comes back.
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                // The userinfo endpoint takes the access token.
                .oauth2ResourceServer(resource -> resource.jwt(jwt -> jwt.decoder(accessTokens)))
                .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
        allowConfiguredOrigins(http, security);
        return http.build();
    }

    /**
     * The sign-in page for SMART App Launch (Spring Security's own form, CSRF-protected): users of
     * {@code sehat.security.users}, passwords checked against their hashes; on success back to the
     * authorization request that sent the browser here.
     */
    @Bean
    @Order(2)
    public SecurityFilterChain signIn(HttpSecurity http) throws Exception {
        http.securityMatcher("/login", "/logout")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                // Signed in without an app waiting (after signing out): the analysts' dashboard.
                .formLogin(form -> form.defaultSuccessUrl("/dashboard/"))
                .logout(Customizer.withDefaults());
        return http.build();
    }

    /**
     * The analysts' dashboard's page and its chart library, to anyone: static files without data
     * (the page signs its analyst in and reads {@code /analytics} with her token). Scripts and
     * connections from this server only, never framed.
     */
    @Bean
    @Order(0)
    public SecurityFilterChain dashboardPage(HttpSecurity http) throws Exception {
        http.securityMatcher("/dashboard", "/dashboard/**", "/webjars/echarts/**")
                .authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.GET, "/**")
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(DASHBOARD_CSP)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Inline styles only for the chart library's tooltips; no inline script, nothing from elsewhere. */
    static final String DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'self'";

    /** Each token issued is recorded (client, grant, scopes), then answered by {@code next}. */
    private static AuthenticationSuccessHandler audited(AuthenticationSuccessHandler next, AccessEvents audit) {
        return (request, response, authentication) -> {
            if (authentication instanceof OAuth2AccessTokenAuthenticationToken issued) {
                audit.tokenIssued(
                        issued.getRegisteredClient().getClientId(),
                        request.getParameter("grant_type"),
                        issued.getAccessToken().getScopes());
            }
            next.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /**
     * Each refused token request is recorded (the client it claimed to be, the OAuth error), then
     * answered with the RFC 6749 error as Spring Authorization Server does: 401 for
     * {@code invalid_client}, 400 otherwise.
     */
    private static AuthenticationFailureHandler auditedRefusal(AccessEvents audit) {
        OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();
        return (request, response, exception) -> {
            OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth
                    ? oauth.getError()
                    : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
            audit.tokenRefused(AssertionClientIdConverter.claimedClient(request), error.getErrorCode());
            SecurityContextHolder.clearContext();
            ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
            answer.setStatusCode(
                    OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())
                            ? HttpStatus.UNAUTHORIZED
                            : HttpStatus.BAD_REQUEST);
            errors.write(error, null, answer);
        };
    }

    /** SMART's launch context in the token response: {@code patient} when {@code launch/patient} was granted. */
    private static OAuth2AccessTokenResponseAuthenticationSuccessHandler launchContextInTokenResponse() {
        OAuth2AccessTokenResponseAuthenticationSuccessHandler handler =
                new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        handler.setAccessTokenResponseCustomizer(context -> {
            OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
            OAuth2AccessToken token = issued.getAccessToken();
            if (!token.getScopes().contains("launch/patient")) {
                return;
            }
            try {
                Object patient =
                        JWTParser.parse(token.getTokenValue()).getJWTClaimsSet().getClaim(Caller.PATIENT_CLAIM);
                if (patient != null) {
                    // The builder's parameters are replaced, not added to: keep the id_token.
                    Map<String, Object> parameters = new HashMap<>(issued.getAdditionalParameters());
                    parameters.put(Caller.PATIENT_CLAIM, patient);
                    context.getAccessTokenResponse().additionalParameters(parameters);
                }
            } catch (ParseException e) {
                throw new IllegalStateException("An access token this server signed does not parse", e);
            }
        });
        return handler;
    }

    @Bean
    @Order(3)
    public SecurityFilterChain resourceServer(
            HttpSecurity http,
            JwtDecoder accessTokens,
            SecurityProperties security,
            ObjectProvider<AccessEvents> accessEvents)
            throws Exception {
        AccessErrors errors = new AccessErrors(accessEvents.getIfAvailable(() -> AccessEvents.NONE));
        http.authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.GET, PUBLIC_PATHS)
                        .permitAll()
                        .requestMatchers("/error")
                        .permitAll()
                        .requestMatchers("/admin/**", "/ingest/dead-letters", "/ingest/dead-letters/**", "/actuator/**")
                        .hasRole(Role.OPERATOR.name())
                        .requestMatchers("/analytics/**")
                        .hasAnyRole(Role.ANALYST.name(), Role.OPERATOR.name())
                        .requestMatchers("/ingest/hl7v2", "/ingest/csv/**", "/ingest/fhir")
                        .hasRole(Role.HOSPITAL.name())
                        .requestMatchers("/ingest/telehealth/**")
                        .hasAnyRole(Role.APP.name(), Role.HOSPITAL.name())
                        .requestMatchers("/fhir", "/fhir/**")
                        .authenticated()
                        .anyRequest()
                        .denyAll())
                .oauth2ResourceServer(
                        resource -> resource.authenticationManagerResolver(tokenIssuers(accessTokens, security))
                                .authenticationEntryPoint(errors)
                                .accessDeniedHandler(errors))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens, never cookies: nothing for a cross-site request to ride on.
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(Customizer.withDefaults());
        allowConfiguredOrigins(http, security);
        return http.build();
    }

    /**
     * CORS for browser apps (a SMART app served from its own origin), only for the origins listed
     * in {@code sehat.security.cors-allowed-origins}; none by default. Bearer tokens, not cookies,
     * so credentials are not allowed. A preflight is answered before authentication.
     */
    private static void allowConfiguredOrigins(HttpSecurity http, SecurityProperties security) throws Exception {
        if (security.corsAllowedOrigins().isEmpty()) {
            return;
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(security.corsAllowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of(
                "Authorization",
                "Content-Type",
                "Accept",
                "Prefer",
                "If-Match",
                "If-None-Match",
                "If-None-Exist",
                "If-Modified-Since"));
        cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified", "WWW-Authenticate"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        // Matched on the request URI: /fhir/* is a servlet of its own, whose paths a path-pattern
        // source would see without the /fhir prefix.
        CorsConfigurationSource source = request -> {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            return path.equals("/fhir") || path.startsWith("/fhir/") || CORS_OAUTH_PATHS.contains(path) ? cors : null;
        };
        http.cors(c -> c.configurationSource(source));
    }

    /**
     * Which issuer's keys check a bearer token: a trusted external issuer's when the token names it
     * ({@code iss}), otherwise this server's own, whose signature a token from anywhere else fails.
     */
    private static JwtIssuerAuthenticationManagerResolver tokenIssuers(JwtDecoder own, SecurityProperties security) {
        AuthenticationManager ownTokens = manager(own);
        Map<String, AuthenticationManager> trusted = new HashMap<>();
        for (SecurityProperties.TrustedIssuer issuer : security.trustedIssuers()) {
            trusted.put(issuer.issuer(), manager(trustedIssuerDecoder(issuer)));
        }
        return new JwtIssuerAuthenticationManagerResolver(iss -> trusted.getOrDefault(iss, ownTokens));
    }

    private static AuthenticationManager manager(JwtDecoder decoder) {
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(SecurityConfig::authentication);
        return new ProviderManager(provider);
    }

    /**
     * A trusted issuer's tokens: its keys (discovered on first use, so the server starts while the
     * issuer is down), its {@code iss}, not expired, the configured audience, claims mapped by
     * {@link TrustedIssuerClaims}.
     */
    static JwtDecoder trustedIssuerDecoder(SecurityProperties.TrustedIssuer issuer) {
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = (issuer.jwkSetUri().isBlank()
                            ? NimbusJwtDecoder.withIssuerLocation(issuer.issuer())
                            : NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri()))
                    .jwsAlgorithms(algorithms -> algorithms.addAll(List.of(
                            SignatureAlgorithm.RS256,
                            SignatureAlgorithm.RS384,
                            SignatureAlgorithm.ES256,
                            SignatureAlgorithm.ES384)))
                    .build();
            List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
            validators.add(new JwtTimestampValidator());
            validators.add(new JwtIssuerValidator(issuer.issuer()));
            if (!issuer.audience().isBlank()) {
                validators.add(new JwtClaimValidator<List<String>>(
                        "aud", audience -> audience != null && audience.contains(issuer.audience())));
            }
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
            decoder.setClaimSetConverter(new TrustedIssuerClaims(issuer));
            return decoder;
        });
    }

    /** Access tokens of this server: its signature, not expired, and its issuer when one is configured. */
    @Bean
    public JwtDecoder accessTokenDecoder(RSAKey tokenSigningKey, SecurityProperties security) throws JOSEException {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(tokenSigningKey.toRSAPublicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator());
        if (!security.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(security.issuer()));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    @Bean
    public FhirAuthorizationRules fhirAuthorizationRules() {
        return new FhirAuthorizationRules();
    }

    /** Ingest: a message must name a facility its sender (token, MLLP certificate) is registered for. */
    @Bean
    public IngestSenderPolicy ingestSenderPolicy(ClientRegistry clients) {
        return new IngestSenderPolicy(clients);
    }

    /** Requests only to this server's own host names (DNS rebinding), see {@link HostAllowList}. */
    @Bean
    public StrictHttpFirewall httpFirewall(SecurityProperties security, FhirProperties fhir) {
        return HostAllowList.firewall(
                HostAllowList.hosts(security.allowedHosts(), security.issuer(), fhir.serverAddress()));
    }

    @Bean
    public FacilityTagging facilityTagging() {
        return new FacilityTagging();
    }

    @Bean
    public PatientCompartmentNarrowing patientCompartmentNarrowing() {
        return new PatientCompartmentNarrowing();
    }

    @Bean
    public ScopeConsent scopeConsent() {
        return new ScopeConsent();
    }

    @Bean
    public SmartInteractionCheck smartInteractionCheck() {
        return new SmartInteractionCheck();
    }

    @Bean
    public ServletRegistrationBean<SmartConfiguration> smartConfiguration(SecurityProperties security) {
        ServletRegistrationBean<SmartConfiguration> registration =
                new ServletRegistrationBean<>(new SmartConfiguration(security.issuer()), SmartConfiguration.PATH);
        registration.setName("smart-configuration");
        return registration;
    }

    /** The token's scopes as {@code SCOPE_...} authorities, and its role as {@code ROLE_...}. */
    private static CallerAuthentication authentication(Jwt token) {
        Collection<GrantedAuthority> authorities = new ArrayList<>(new JwtGrantedAuthoritiesConverter().convert(token));
        Caller caller = Caller.from(token);
        if (caller.role() != null) {
            authorities.add(new SimpleGrantedAuthority(caller.role().authority()));
        }
        return new CallerAuthentication(token, authorities, caller);
    }
}
