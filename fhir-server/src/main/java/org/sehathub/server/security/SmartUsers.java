package org.sehathub.server.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The people who sign in on this server's sign-in page ({@code sehat.security.users}) to launch an
 * app, or, analysts, to the dashboard, with their password hashes for Spring Security and who they
 * are in the record ({@code fhirUser}). Checked at start-up: a password must be a hash with its
 * algorithm, a {@code fhirUser} a Patient or Practitioner reference (an analyst may have none).
 */
public class SmartUsers implements UserDetailsService {

    private final Map<String, SecurityProperties.User> users = new LinkedHashMap<>();

    public SmartUsers(List<SecurityProperties.User> configured) {
        for (SecurityProperties.User user : configured) {
            String where = "sehat.security.users[" + user.username() + "]: ";
            if (!user.passwordHash().matches("\\{[a-z0-9]+\\}.+")) {
                throw new IllegalStateException(where + "password-hash must be a hash with its algorithm, such as"
                        + " {bcrypt}$2a$10$... (SmartClientTool hash-password makes one); never a password");
            }
            if (!user.role().isEmpty() && !user.analyst()) {
                throw new IllegalStateException(where + "role is analyst, or none for a patient or clinician");
            }
            boolean noRecord = user.analyst() && user.fhirUser().isEmpty(); // an analyst needs none
            if (!noRecord
                    && !user.fhirUser()
                            .matches("(Patient|Practitioner|PractitionerRole|RelatedPerson)/[A-Za-z0-9\\-.]{1,64}")) {
                throw new IllegalStateException(
                        where + "fhir-user must be a reference such as Patient/123 or Practitioner/45");
            }
            if (user.analyst() && user.fhirUser().startsWith("Patient/")) {
                throw new IllegalStateException(where + "an analyst is not a patient (fhir-user)");
            }
            if (users.putIfAbsent(user.username(), user) != null) {
                throw new IllegalStateException("sehat.security.users: " + user.username() + " is listed twice");
            }
        }
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        SecurityProperties.User user = users.get(username);
        if (user == null) {
            throw new UsernameNotFoundException("No such user");
        }
        return User.withUsername(user.username())
                .password(user.passwordHash())
                .roles("USER")
                .build();
    }

    public Optional<SecurityProperties.User> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    /** The patient a user is, when she is one: the id of her {@code Patient/...} fhirUser. */
    public Optional<String> patientOf(String username) {
        return find(username)
                .map(SecurityProperties.User::fhirUser)
                .filter(reference -> reference.startsWith("Patient/"))
                .map(reference -> reference.substring("Patient/".length()));
    }
}
