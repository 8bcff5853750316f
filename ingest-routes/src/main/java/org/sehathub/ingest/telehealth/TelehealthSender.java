package org.sehathub.ingest.telehealth;

import org.sehathub.ingest.Inbound;

/**
 * Who sent a teleconsultation: the app ({@code X-Sehat-App}, scopes consultation ids) and the
 * telehealth provider ({@code X-Sehat-Facility}, scopes patient ids; the app when not given).
 * Kept in a dead letter's one {@code sender} field as {@code app} or {@code app|provider}.
 */
public record TelehealthSender(String app, String provider) implements Inbound.Envelope {

    public static TelehealthSender of(String app, String provider) {
        if (app == null) {
            return null;
        }
        return new TelehealthSender(app, provider != null ? provider : app);
    }

    public static TelehealthSender parse(String sender) {
        if (sender == null || sender.isBlank()) {
            return null;
        }
        int bar = sender.indexOf('|');
        return bar < 0
                ? new TelehealthSender(sender, sender)
                : new TelehealthSender(sender.substring(0, bar), sender.substring(bar + 1));
    }

    @Override
    public String toString() {
        return app.equals(provider) ? app : app + "|" + provider;
    }
}
