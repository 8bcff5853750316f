package org.sehathub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Patient linking at scale (issue 12: {@code Patient/$match} p95 < 100 ms with 100,000 patients):
 * a generated population of Patients with Pakistan's common names (drawn with the skew real names
 * have, so that "Muhammad", "Khan" and 1 January make the large candidate blocks they make in
 * practice), loaded with batch bundles (each Patient linked into its person as it is stored),
 * then {@code $match} asked about people of it as a telehealth app or a registration desk would:
 * name, sex, birth date and district, often without a CNIC, sometimes spelt differently.
 */
final class MatchWorkload {

    /** One generated person; {@code cnic} and {@code phone} may be null. */
    record Person(
            String given, String family, boolean female, LocalDate born, String district, String cnic, String phone) {}

    /** A load's outcome: patients stored, seconds, entries the server refused. */
    record Load(int patients, double seconds, int failed) {}

    /** Latencies of one {@code $match} measurement, and how often the person asked about came first. */
    record Latencies(List<Double> millis, int errors, int foundFirst) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CNIC = "https://fhir.sehathub.pk/sid/cnic";
    private static final String MRN = "https://fhir.sehathub.pk/sid/mrn/bench-match-hospital";
    private static final int BATCH = 200;

    // Most common first; drawn with weight 1/rank.
    private static final String[] MEN = {
        "Muhammad",
        "Ali",
        "Ahmed",
        "Hassan",
        "Hussain",
        "Usman",
        "Bilal",
        "Imran",
        "Abdul",
        "Ghulam",
        "Asif",
        "Tariq",
        "Kamran",
        "Faisal",
        "Zubair",
        "Shahid",
        "Naveed",
        "Irfan",
        "Waqas",
        "Adnan",
        "Sajid",
        "Khalid",
        "Rashid",
        "Zahid",
        "Javed",
        "Nadeem",
        "Saleem",
        "Aslam",
        "Akbar",
        "Yasir"
    };
    private static final String[] WOMEN = {
        "Fatima", "Ayesha", "Zainab", "Maryam", "Khadija", "Bibi", "Sana", "Saima", "Nadia", "Rubina", "Shazia",
        "Bushra", "Amna", "Hina", "Sadia", "Noreen", "Parveen", "Nasreen", "Kiran", "Asma", "Rukhsana", "Samina",
        "Farzana", "Naila", "Uzma", "Sumaira", "Tahira", "Shagufta", "Iqra", "Mehwish"
    };
    private static final String[] FAMILIES = {
        "Khan", "Ahmed", "Ali", "Hussain", "Shah", "Malik", "Butt", "Qureshi", "Chaudhry", "Baloch", "Abbasi",
        "Awan", "Mughal", "Raja", "Bhatti", "Siddiqui", "Memon", "Soomro", "Jatoi", "Rajput", "Sheikh", "Mirza",
        "Gondal", "Cheema", "Bangash", "Afridi", "Yousafzai", "Marri", "Bugti", "Leghari"
    };
    /** Districts with the first five digits of CNICs issued there. */
    private static final String[][] DISTRICTS = {
        {"Lahore", "35202"},
        {"Karachi", "42101"},
        {"Peshawar", "17301"},
        {"Quetta", "54400"},
        {"Multan", "36302"},
        {"Faisalabad", "33100"},
        {"Rawalpindi", "37405"},
        {"Hyderabad", "41303"},
        {"Tharparkar", "44203"},
        {"Abbottabad", "13101"}
    };
    /** Roman-Urdu spellings a second writer may use. */
    private static final String[][] VARIANTS = {
        {"Muhammad", "Mohammad"},
        {"Ahmed", "Ahmad"},
        {"Hussain", "Husain"},
        {"Usman", "Osman"},
        {"Ayesha", "Aisha"},
        {"Fatima", "Fatimah"},
        {"Zainab", "Zaynab"},
        {"Maryam", "Mariam"},
        {"Chaudhry", "Chaudhary"},
        {"Qureshi", "Qureishi"},
        {"Khadija", "Khadijah"},
        {"Yousafzai", "Yousufzai"}
    };

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String baseUrl;
    private final BenchClient client;
    /** Server id of each loaded person, by index (null where the server refused the entry). */
    private final String[] ids;

    private final List<Person> people;

    MatchWorkload(String baseUrl, BenchClient client, List<Person> people) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.people = people;
        this.ids = new String[people.size()];
    }

    /**
     * {@code n} people: a fifth born on 1 January (the date registrars write when only the year is
     * known), six in ten with a CNIC of the right form for their district and sex (adults only),
     * half with a mobile number, one in ten of those shared with the person before (a family phone).
     */
    static List<Person> population(long seed, int n) {
        Random random = new Random(seed);
        List<Person> people = new ArrayList<>(n);
        String lastPhone = null;
        for (int i = 0; i < n; i++) {
            boolean female = random.nextBoolean();
            String given = skewed(female ? WOMEN : MEN, random);
            String family = skewed(FAMILIES, random);
            LocalDate born = random.nextInt(5) == 0
                    ? LocalDate.of(1945 + random.nextInt(78), 1, 1)
                    : LocalDate.of(1945 + random.nextInt(78), 1, 1).plusDays(random.nextInt(365));
            String[] district = DISTRICTS[random.nextInt(DISTRICTS.length)];
            boolean adult = born.isBefore(LocalDate.of(2008, 1, 1));
            String cnic = null;
            if (adult && random.nextInt(10) < 6) {
                int serial = 1_000_000 + i;
                int sexDigit = female ? 2 * random.nextInt(5) : 2 * random.nextInt(5) + 1;
                cnic = district[1] + "-" + serial + "-" + sexDigit;
            }
            String phone = null;
            if (random.nextBoolean()) {
                phone = lastPhone != null && random.nextInt(10) == 0
                        ? lastPhone
                        : "+92 3" + (random.nextInt(5)) + random.nextInt(10) + " "
                                + (1_000_000 + random.nextInt(8_999_999));
                lastPhone = phone;
            }
            people.add(new Person(given, family, female, born, district[0], cnic, phone));
        }
        return people;
    }

    private static String skewed(String[] names, Random random) {
        double total = 0;
        for (int rank = 1; rank <= names.length; rank++) {
            total += 1.0 / rank;
        }
        double draw = random.nextDouble() * total;
        for (int rank = 1; rank <= names.length; rank++) {
            draw -= 1.0 / rank;
            if (draw <= 0) {
                return names[rank - 1];
            }
        }
        return names[names.length - 1];
    }

    /** Loads everyone as batch bundles of 200 Patients with {@code clients} concurrent clients. */
    Load load(int clients) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long started = System.nanoTime();
        ClientThreads.run(clients, () -> {
            int from;
            while ((from = next.getAndAdd(BATCH)) < people.size()) {
                int to = Math.min(people.size(), from + BATCH);
                try {
                    failed.addAndGet(postBatch(from, to));
                } catch (IOException e) {
                    failed.addAndGet(to - from);
                    Bench.log("  match load: batch at %d failed: %s", from, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        return new Load(people.size() - failed.get(), (System.nanoTime() - started) / 1e9, failed.get());
    }

    /** Posts people [from, to) as one batch; returns how many entries the server refused. */
    private int postBatch(int from, int to) throws IOException, InterruptedException {
        ObjectNode bundle =
                JSON.createObjectNode().put("resourceType", "Bundle").put("type", "batch");
        ArrayNode entries = bundle.putArray("entry");
        for (int i = from; i < to; i++) {
            ObjectNode entry = entries.addObject();
            entry.set("resource", patient(people.get(i), i, true));
            entry.putObject("request").put("method", "POST").put("url", "Patient");
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(bundle.toString())));
        if (response.statusCode() != 200) {
            throw new IOException(response.statusCode() + " " + FhirLoad.abbreviate(response.body()));
        }
        int refused = 0;
        JsonNode answered = JSON.readTree(response.body()).path("entry");
        for (int i = from; i < to; i++) {
            JsonNode entryResponse = answered.path(i - from).path("response");
            if (entryResponse.path("status").asText().startsWith("201")) {
                String location = entryResponse.path("location").asText();
                ids[i] = location.split("/")[1];
            } else {
                refused++;
            }
        }
        return refused;
    }

    /** A Patient for person {@code i}: as stored (with an MRN), or as described to {@code $match}. */
    private static ObjectNode patient(Person person, int i, boolean stored) {
        ObjectNode patient = JSON.createObjectNode().put("resourceType", "Patient");
        ArrayNode identifiers = patient.putArray("identifier");
        if (stored) {
            identifiers.addObject().put("system", MRN).put("value", "M" + i);
        }
        if (person.cnic() != null && (stored || i % 4 == 0)) {
            identifiers.addObject().put("system", CNIC).put("value", person.cnic());
        }
        ObjectNode name = patient.putArray("name").addObject();
        boolean variant = !stored && i % 4 == 1;
        name.put("family", variant ? variant(person.family()) : person.family());
        name.putArray("given").add(variant ? variant(person.given()) : person.given());
        patient.put("gender", person.female() ? "female" : "male");
        patient.put("birthDate", person.born().toString());
        if (person.phone() != null) {
            patient.putArray("telecom").addObject().put("system", "phone").put("value", person.phone());
        }
        patient.putArray("address").addObject().put("district", person.district());
        return patient;
    }

    private static String variant(String name) {
        for (String[] pair : VARIANTS) {
            if (pair[0].equals(name)) {
                return pair[1];
            }
        }
        return name;
    }

    /**
     * {@code requests} {@code $match} requests over {@code clients} clients (a fifth as many warm-up
     * requests first, uncounted), about loaded people spread over the whole population: one in four
     * with the CNIC, one in four with a second spelling of the names, the rest by name, sex, birth
     * date, phone and district only. {@code count=5}.
     */
    Latencies measure(int clients, int requests) throws InterruptedException {
        List<Integer> loaded = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != null) {
                loaded.add(i);
            }
        }
        Collections.shuffle(loaded, new Random(requests * 31L + clients));
        for (int w = 0; w < Math.max(1, requests / 5); w++) {
            try {
                match(loaded.get(loaded.size() - 1 - w));
            } catch (IOException e) {
                // counted in the measurement proper
            }
        }
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger foundFirst = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ClientThreads.run(clients, () -> {
            int r;
            while ((r = next.getAndIncrement()) < requests) {
                int person = loaded.get(r % loaded.size());
                long started = System.nanoTime();
                try {
                    boolean first = match(person);
                    millis.add((System.nanoTime() - started) / 1e6);
                    if (first) {
                        foundFirst.incrementAndGet();
                    }
                } catch (IOException e) {
                    if (errors.incrementAndGet() == 1) {
                        Bench.log("  $match error: %s", e.getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        return new Latencies(new ArrayList<>(millis), errors.get(), foundFirst.get());
    }

    /** Asks {@code $match} about person {@code i}; true if her own record came first. */
    private boolean match(int i) throws IOException, InterruptedException {
        ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters");
        ArrayNode parameter = parameters.putArray("parameter");
        parameter.addObject().put("name", "resource").set("resource", patient(people.get(i), i, false));
        parameter.addObject().put("name", "count").put("valueInteger", 5);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/Patient/$match"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(parameters.toString())));
        if (response.statusCode() != 200) {
            throw new IOException("$match -> " + response.statusCode() + " " + FhirLoad.abbreviate(response.body()));
        }
        JsonNode first = JSON.readTree(response.body()).path("entry").path(0);
        return first.path("resource").path("id").asText().equals(ids[i]);
    }

    /** Runs {@code task} on {@code clients} threads at once and waits for all of them. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.timeout(Duration.ofMinutes(5)).header("Accept", "application/fhir+json");
        client.authorization().ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
