package org.sehathub.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * The operator's and the client developer's command line for SMART Backend Services
 * (docs/security.md):
 *
 * <pre>
 * java -cp fhir-server/target/sehat-hub.jar org.sehathub.server.security.SmartClientTool \
 *     new-client --id lahore-general --role hospital --facility LGH --scope 'system/*.cruds'
 * java -cp fhir-server/target/sehat-hub.jar org.sehathub.server.security.SmartClientTool \
 *     token --server http://127.0.0.1:8080 --client-id lahore-general --key lahore-general.private-key.json --scope 'system/*.rs'
 * </pre>
 *
 * {@code new-client} makes a key pair, writes the private key to a file (mode 600) for the client
 * and prints the lines an operator adds under {@code sehat.security.clients}, the public key only
 * (or, with {@code --register FILE}, appends them to that file).
 * {@code token} does what a client does: signs a five-minute assertion with its key, asks the
 * token endpoint named in the server's {@code .well-known/smart-configuration} and prints the
 * access token.
 */
public final class SmartClientTool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SmartClientTool() {}

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = options(args);
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "new-client" -> newClient(options, System.out);
            case "token" -> System.out.println(token(options));
            case "hash-password" ->
                System.out.println(hashPassword(new String(
                        System.console() != null
                                ? System.console().readPassword("Password: ")
                                : new java.io.BufferedReader(
                                                new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                                        .readLine()
                                        .toCharArray())));
            default -> {
                System.err.println("""
						Usage:
						  SmartClientTool new-client --id ID --role hospital|app|analyst|operator [--scope S]... [--facility F]...
						                             [--organization O] [--alg ES384|RS384] [--key-file FILE]
						                             [--mllp-certificate-subject DN] [--mllp-loopback]
						                             [--register config/security/application.yaml]
						                             [--redirect-uri URI]... [--public]
						  SmartClientTool token --server URL --client-id ID --key FILE --scope 'system/*.rs' [--scope ...]
						  SmartClientTool hash-password      (reads the password; prints the hash for sehat.security.users)
						""");
                System.exit(command.equals("help") ? 0 : 2);
            }
        }
    }

    static void newClient(Map<String, List<String>> options, PrintStream out) throws JOSEException, IOException {
        String id = one(options, "id");
        Role role = Role.fromClaim(one(options, "role"));
        boolean publicClient = options.containsKey("public");
        JWK key = null;
        Path keyFile = Path.of(options.getOrDefault("key-file", List.of(id + ".private-key.json"))
                .get(0));
        if (!publicClient) {
            key = newKey(options.getOrDefault("alg", List.of("ES384")).get(0), id);
            Files.createFile(
                    keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, key.toJSONString(), StandardCharsets.UTF_8);
        }
        List<String> scopes =
                options.getOrDefault("scope", List.of(role == Role.OPERATOR ? "system/*.cruds" : "system/*.rs"));
        List<String> lines = new ArrayList<>();
        lines.add("      - id: " + id);
        lines.add("        role: " + role.claimValue());
        lines.add("        scopes: ["
                + String.join(", ", scopes.stream().map(s -> "\"" + s + "\"").toList()) + "]");
        if (options.containsKey("facility")) {
            lines.add("        facilities: ["
                    + String.join(
                            ", ",
                            options.get("facility").stream()
                                    .map(f -> "\"" + f + "\"")
                                    .toList()) + "]");
        }
        if (options.containsKey("organization")) {
            lines.add("        organization: " + options.get("organization").get(0));
        }
        if (options.containsKey("mllp-certificate-subject")) {
            lines.add("        mllp-certificate-subject: \""
                    + options.get("mllp-certificate-subject").get(0) + "\"");
        }
        if (options.containsKey("mllp-loopback")) {
            lines.add("        mllp-loopback: true");
        }
        if (options.containsKey("redirect-uri")) {
            lines.add("        redirect-uris: ["
                    + String.join(
                            ", ",
                            options.get("redirect-uri").stream()
                                    .map(u -> "\"" + u + "\"")
                                    .toList()) + "]");
        }
        if (key != null) {
            lines.add("        jwks: '" + new JWKSet(key.toPublicJWK()) + "'");
            out.println(
                    "# Private key written to " + keyFile.toAbsolutePath() + ": give it to the client, keep no copy.");
        } else {
            out.println("# A public client: no key; its authorization codes are protected by PKCE alone.");
        }
        if (options.containsKey("register")) {
            Path config = Path.of(options.get("register").get(0));
            register(config, lines);
            out.println("# Registered in " + config.toAbsolutePath() + "; restart the server to use it.");
        } else {
            out.println("# Add under sehat.security.clients (config/application.yaml), then restart:");
            lines.forEach(out::println);
        }
    }

    /**
     * Appends a client to a file holding only {@code sehat.security.clients}, made if missing. Spring
     * Boot reads {@code config/<folder>/application.yaml} by itself, so
     * {@code config/security/application.yaml} needs no other setting.
     */
    private static void register(Path config, List<String> lines) throws IOException {
        List<String> content = new ArrayList<>();
        if (!Files.exists(config)) {
            if (config.getParent() != null) {
                Files.createDirectories(config.getParent());
            }
            content.add("# Registered clients (docs/security.md), written by SmartClientTool new-client --register.");
            content.add("sehat:");
            content.add("  security:");
            content.add("    clients:");
        }
        content.addAll(lines);
        Files.write(
                config,
                content,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static JWK newKey(String alg, String id) throws JOSEException {
        String kid = id + "-" + Instant.now().getEpochSecond();
        return switch (alg) {
            case "ES384" ->
                new ECKeyGenerator(Curve.P_384)
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES384)
                        .keyID(kid)
                        .generate();
            case "RS384" ->
                new RSAKeyGenerator(2048)
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS384)
                        .keyID(kid)
                        .generate();
            default -> throw new IllegalArgumentException("--alg must be ES384 or RS384");
        };
    }

    static String token(Map<String, List<String>> options) throws Exception {
        String server = one(options, "server").replaceAll("/+$", "");
        String clientId = one(options, "client-id");
        JWK key = JWK.parse(Files.readString(Path.of(one(options, "key")), StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        JsonNode smart = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(server + "/fhir/.well-known/smart-configuration"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        String tokenEndpoint = smart.path("token_endpoint").asText();
        String assertion = assertion(key, clientId, tokenEndpoint, Duration.ofMinutes(5));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", String.join(" ", options.getOrDefault("scope", List.of("system/*.rs"))));
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(tokenEndpoint))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "Token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return body.path("access_token").asText();
    }

    /** A password's hash as {@code sehat.security.users[].password-hash} takes it ({@code {bcrypt}...}). */
    static String hashPassword(String password) {
        if (password.length() < 8) {
            throw new IllegalArgumentException("A password of at least 8 characters, please");
        }
        return PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password);
    }

    /** A client assertion (RFC 7523) signed with {@code key}: iss = sub = the client, aud = the token endpoint. */
    public static String assertion(JWK key, String clientId, String tokenEndpoint, Duration lifetime)
            throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(tokenEndpoint)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .build();
        JWSAlgorithm alg = key instanceof ECKey ? JWSAlgorithm.ES384 : JWSAlgorithm.RS384;
        JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(alg)
                        .type(JOSEObjectType.JWT)
                        .keyID(key.getKeyID())
                        .build(),
                claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** An {@code application/x-www-form-urlencoded} body. */
    public static String formBody(Map<String, String> form) {
        List<String> pairs = new ArrayList<>();
        form.forEach((k, v) -> pairs.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static String one(Map<String, List<String>> options, String name) {
        List<String> values = options.get(name);
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return values.get(0);
    }

    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --name value, got " + args[i]);
            }
            boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
            options.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>())
                    .add(flag ? "true" : args[++i]);
        }
        return options;
    }

    /** Parses a key file, for callers that hold one. */
    public static JWK readKey(Path file) throws IOException, ParseException {
        return JWK.parse(Files.readString(file, StandardCharsets.UTF_8));
    }
}
