package org.sehathub.server.analytics;

/** What analysts ask, for the audit trail: a privacy officer can see who asked which figures. */
public interface AnalyticsEvents {

    /** Nothing recorded (the audit trail is off). */
    AnalyticsEvents NONE = (query, refusal) -> {};

    /**
     * @param query the indicator and its query string as asked ({@code people-with-condition?code=D50&by=district}):
     *     dimension values and codes, never an identity
     * @param refusal why it was not answered (400 or 404), or null when it was
     */
    void asked(String query, String refusal);
}
