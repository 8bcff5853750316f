package org.sehathub.server.mpi;

import java.util.List;

/** What operators decide about persons, for the audit trail. */
public interface PersonLinkEvents {

    /**
     * @param action {@code review-same}, {@code review-different}, {@code split} or {@code merge}
     * @param patients the records concerned ({@code Patient/123})
     * @param refusal why it was not done (a code, never a value from the record), or null when done
     */
    void decided(String action, List<String> patients, String refusal);
}
