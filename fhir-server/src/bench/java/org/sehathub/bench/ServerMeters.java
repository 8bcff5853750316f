package org.sehathub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's own meters, read from {@code /actuator/prometheus} with the operator's token: what a
 * lever did inside the server (group commit's groups) beside what the clients saw. A meter's
 * series are summed over their tags.
 */
final class ServerMeters {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final BenchClient operator;

    ServerMeters(ServerProcess server) {
        this.url = "http://127.0.0.1:" + server.httpPort + "/actuator/prometheus";
        this.operator = server.client();
    }

    /** Every series by name, tags summed; empty when the endpoint does not answer. */
    Map<String, Double> read() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        operator.authorization().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> values = new TreeMap<>();
        if (response.statusCode() != 200) {
            return values;
        }
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            String value = line.substring(line.lastIndexOf(' ') + 1);
            try {
                values.merge(line.substring(0, nameEnd), Double.parseDouble(value), Double::sum);
            } catch (NumberFormatException notANumber) {
                // A series this reader does not need.
            }
        }
        return values;
    }

    /** How much a series grew between two readings (0 when it is missing from either). */
    static double growth(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }
}
