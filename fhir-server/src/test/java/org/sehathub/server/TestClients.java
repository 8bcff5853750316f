package org.sehathub.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * The clients every test server registers (sehat.security.clients), one per role, each with a key
 * pair made once per test JVM: tests get real tokens from the real token endpoint with them.
 */
public final class TestClients {

    /**
     * A registered client and its private key.
     *
     * @param mllpLoopback its plain MLLP messages from loopback are accepted
     * @param certificateSubject the subject of its MLLP client certificate, or empty
     */
    public record Client(
            String id,
            String role,
            List<String> scopes,
            List<String> facilities,
            JWK key,
            boolean mllpLoopback,
            String certificateSubject) {}

    public static final Client OPERATOR = client("test-operator", "operator", List.of("system/*.cruds"), List.of());
    /**
     * Sends for the facilities the ingest tests' messages name (HL7 MSH-4, CSV clinic, the golden
     * HL7 files), over HTTP and as the plain MLLP sender on loopback.
     */
    public static final Client HOSPITAL = new Client(
            "test-hospital",
            "hospital",
            List.of("system/*.cruds"),
            List.of(
                    "Mayo Hospital Lahore",
                    "BHU Chak 45",
                    "PIMS Islamabad",
                    "Aga Khan University Hospital Karachi",
                    "Civil Hospital Quetta",
                    "Lady Reading Hospital Peshawar",
                    "Shifa International Hospital",
                    "Chughtai Lab Lahore"),
            newKey("test-hospital"),
            true,
            "");
    /** Mayo's interface engine over MLLP with TLS: its client certificate's subject. */
    public static final String MAYO_CERTIFICATE_SUBJECT = "CN=mayo-his,O=Mayo Hospital Lahore,C=PK";

    public static final Client MAYO_TLS = new Client(
            "test-mayo-tls",
            "hospital",
            List.of("system/Patient.rs"),
            List.of("Mayo Hospital Lahore"),
            newKey("test-mayo-tls"),
            false,
            MAYO_CERTIFICATE_SUBJECT);
    /** A telehealth app sending as the provider sehat-kahani. */
    public static final Client APP =
            client("test-app", "app", List.of("system/*.rs", "system/Encounter.cu"), List.of("sehat-kahani"));

    public static final Client ANALYST = client("test-analyst", "analyst", List.of("system/*.rs"), List.of());
    /** Another analyst: must not see the first one's extracts. */
    public static final Client OTHER_ANALYST = client("test-analyst-2", "analyst", List.of("system/*.rs"), List.of());
    /** A hospital allowed to read Patient by id only (system/Patient.r), nothing else. */
    public static final Client NARROW =
            client("test-narrow", "hospital", List.of("system/Patient.r"), List.of("NARROW"));

    /** A privacy officer: reads the audit trail, nothing else. */
    public static final Client PRIVACY =
            client("test-privacy", "privacy-officer", List.of("system/AuditEvent.rs"), List.of());

    /** A hospital allowed to read and search Observation only. */
    public static final Client OBSERVATIONS =
            client("test-observations", "hospital", List.of("system/Observation.rs"), List.of("OBS"));

    /** A telehealth app on a phone: a public client launched by a signed-in patient (SMART App Launch). */
    public static final String LAUNCH_APP = "test-launch-app";

    public static final String LAUNCH_REDIRECT = "http://127.0.0.1/sehat-test-app/callback";
    /** The patient who signs in to it, her password, and her record (created by the tests). */
    public static final String PATIENT_USER = "ayesha";

    public static final String PATIENT_PASSWORD = "ayesha-test-password";
    public static final String PATIENT_ID = "ayesha-launch";
    /** Clinicians who sign in to the launch app (same password as the patient's), ids in the registry too. */
    public static final String WOMAN_CLINICIAN = "dr-amina";

    public static final String MAN_CLINICIAN = "dr-bilal";

    /** A ministry analyst who signs in to the dashboard (same password as the patient's). */
    public static final String ANALYST_USER = "nadia";

    /** The one web origin test servers let call them from a browser (CORS). */
    public static final String BROWSER_APP_ORIGIN = "https://app.sehat.example";

    private static final List<Client> ALL =
            List.of(OPERATOR, HOSPITAL, APP, ANALYST, OTHER_ANALYST, NARROW, OBSERVATIONS, MAYO_TLS, PRIVACY);

    private static final String PASSWORD_HASH =
            PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(PATIENT_PASSWORD);

    private TestClients() {}

    /**
     * The {@code sehat.security.clients} properties registering every test client, and the
     * external issuer every test server trusts ({@link TestIssuer}).
     */
    public static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < ALL.size(); i++) {
            Client c = ALL.get(i);
            String prefix = "sehat.security.clients[" + i + "].";
            properties.put(prefix + "id", c.id());
            properties.put(prefix + "role", c.role());
            properties.put(prefix + "scopes", String.join(",", c.scopes()));
            if (!c.facilities().isEmpty()) {
                properties.put(prefix + "facilities", String.join(",", c.facilities()));
            }
            properties.put(prefix + "jwks", new JWKSet(c.key().toPublicJWK()).toString());
            if (c.role().equals("app") && !c.facilities().isEmpty()) {
                // An app's provider is also the organization its patients' consents name.
                properties.put(prefix + "organization", c.facilities().get(0));
            }
            if (c.mllpLoopback()) {
                properties.put(prefix + "mllp-loopback", "true");
            }
            if (!c.certificateSubject().isEmpty()) {
                properties.put(prefix + "mllp-certificate-subject", c.certificateSubject());
            }
        }
        String app = "sehat.security.clients[" + ALL.size() + "].";
        properties.put(app + "id", LAUNCH_APP);
        properties.put(app + "role", "app");
        properties.put(
                app + "scopes",
                "launch/patient,openid,fhirUser,offline_access,patient/*.rs,patient/Consent.c,user/*.rs");
        properties.put(app + "redirect-uris", LAUNCH_REDIRECT);
        properties.put("sehat.security.users[0].username", PATIENT_USER);
        properties.put("sehat.security.users[0].password-hash", PASSWORD_HASH);
        properties.put("sehat.security.users[0].fhir-user", "Patient/" + PATIENT_ID);
        // Two clinicians of the server's practitioner registry, a woman and a man (AppLaunchOnPostgresIT).
        String[][] clinicians = {
            {WOMAN_CLINICIAN, "Practitioner/" + WOMAN_CLINICIAN}, {MAN_CLINICIAN, "Practitioner/" + MAN_CLINICIAN}
        };
        for (int i = 0; i < clinicians.length; i++) {
            String user = "sehat.security.users[" + (i + 1) + "].";
            properties.put(user + "username", clinicians[i][0]);
            properties.put(user + "password-hash", PASSWORD_HASH);
            properties.put(user + "fhir-user", clinicians[i][1]);
        }
        String analyst = "sehat.security.users[" + (clinicians.length + 1) + "].";
        properties.put(analyst + "username", ANALYST_USER);
        properties.put(analyst + "password-hash", PASSWORD_HASH);
        properties.put(analyst + "role", "analyst");
        properties.putAll(TestIssuer.get().properties());
        properties.put("sehat.security.cors-allowed-origins", BROWSER_APP_ORIGIN);
        return properties;
    }

    /** The same properties as command-line arguments, for servers started in a JVM of their own. */
    public static List<String> arguments() {
        return properties().entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toList();
    }

    private static Client client(String id, String role, List<String> scopes, List<String> facilities) {
        return new Client(id, role, scopes, facilities, newKey(id), false, "");
    }

    private static ECKey newKey(String id) {
        try {
            return new ECKeyGenerator(Curve.P_384)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES384)
                    .keyID(id + "-key")
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
