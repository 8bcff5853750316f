package org.sehathub.mappers.mpi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic population with known truth, for measuring patient linking: households (a father, a
 * mother, children, now and then twins) with Pakistani names in their Roman-Urdu spellings and in
 * Urdu script, each person seen at one to four facilities and sent as HL7 v2, clinic CSV or
 * telehealth JSON, with the faults registers really have: CNIC missing, mistyped (one digit, two
 * swapped) or the mother's on a child's record; birth dates mistyped, only a year, or the 1
 * January that desks write when nobody knows; shared family phones; names spelled another way or
 * written only in Urdu. Every record remembers the person it is ({@link Visit#person}).
 *
 * <p>Deterministic for a seed. Names and faults are drawn from small pools on purpose: collisions
 * ("Muhammad Ali", born 1 January, in the same district) are the point.
 */
final class SyntheticPopulation {

    /** A name with its spellings in Latin script (the first the usual one) and in Urdu. */
    record Name(String urdu, String... latin) {}

    /** One person as the truth knows her. */
    record Person(
            int id,
            Name given,
            Name family,
            String sex,
            LocalDate birthDate,
            String cnic,
            String bForm,
            String motherCnic,
            Name relative,
            String relativeKind,
            Name mother,
            String phone,
            String district) {}

    /** One record of a person at a facility, in the form its source sends. */
    record Visit(int person, String facility, Source source, Person as) {}

    enum Source {
        HL7V2,
        CSV,
        TELEHEALTH
    }

    static final Name[] MALE = {
        new Name("محمد علی", "Muhammad Ali", "Mohammad Ali", "Muhammed Ali", "Mohd Ali"),
        new Name("محمد عمران", "Muhammad Imran", "Mohammad Imran", "M. Imran"),
        new Name("علی", "Ali", "Aly"),
        new Name("احمد", "Ahmed", "Ahmad"),
        new Name("حسن", "Hassan", "Hasan"),
        new Name("حسین", "Hussain", "Husain", "Hussein"),
        new Name("عثمان", "Usman", "Osman"),
        new Name("عمران", "Imran"),
        new Name("بلال", "Bilal"),
        new Name("زاہد", "Zahid"),
        new Name("طارق", "Tariq", "Tarik"),
        new Name("آصف", "Asif", "Aasif"),
        new Name("کامران", "Kamran"),
        new Name("نوید", "Naveed", "Navid"),
        new Name("وسیم", "Waseem", "Wasim"),
        new Name("شاہد", "Shahid"),
        new Name("رضوان", "Rizwan"),
        new Name("فیصل", "Faisal", "Faysal"),
        new Name("یوسف", "Yousaf", "Yusuf", "Yousuf"),
        new Name("عبدالرحمن", "Abdul Rehman", "Abdur Rahman", "Abdulrehman"),
        new Name("غلام رسول", "Ghulam Rasool", "Ghulam Rasul"),
        new Name("زبیر", "Zubair", "Zubayr"),
        new Name("جمیل", "Jamil", "Jameel"),
        new Name("ارشد", "Arshad"),
        new Name("اسلم", "Aslam"),
        new Name("ندیم", "Nadeem", "Nadim"),
        new Name("ساجد", "Sajid"),
        new Name("خالد", "Khalid", "Khaled"),
        new Name("عرفان", "Irfan"),
        new Name("عمر", "Umar", "Omar", "Umer"),
        new Name("سعید", "Saeed", "Saeid"),
        new Name("محمد اکرم", "Muhammad Akram", "Mohammad Akram"),
        new Name("محمد اشرف", "Muhammad Ashraf", "Mohd Ashraf"),
        new Name("گل خان", "Gul Khan", "Gul Khaan"),
        new Name("ذوالفقار", "Zulfiqar", "Zulfikar"),
        new Name("شیر علی", "Sher Ali"),
        new Name("نور محمد", "Noor Muhammad", "Nur Mohammad"),
        new Name("اللہ دتہ", "Allah Ditta", "Allah Dita"),
        new Name("اعجاز", "Ijaz", "Ejaz"),
        new Name("افتخار", "Iftikhar"),
        new Name("امجد", "Amjad"),
        new Name("انور", "Anwar"),
        new Name("اویس", "Owais", "Awais"),
        new Name("بابر", "Babar", "Babur"),
        new Name("باسط", "Basit"),
        new Name("پرویز", "Pervaiz", "Parvez"),
        new Name("تنویر", "Tanveer", "Tanvir"),
        new Name("ثاقب", "Saqib"),
        new Name("جاوید", "Javed", "Javaid"),
        new Name("جنید", "Junaid"),
        new Name("حامد", "Hamid"),
        new Name("حمزہ", "Hamza", "Hamzah"),
        new Name("خرم", "Khurram"),
        new Name("دانش", "Danish"),
        new Name("راحیل", "Raheel"),
        new Name("ریاض", "Riaz"),
        new Name("زین", "Zain"),
        new Name("سلمان", "Salman"),
        new Name("سہیل", "Sohail", "Suhail"),
        new Name("شعیب", "Shoaib"),
        new Name("شفیق", "Shafiq", "Shafique"),
        new Name("شہزاد", "Shahzad"),
        new Name("صدام", "Saddam"),
        new Name("طاہر", "Tahir"),
        new Name("عادل", "Adil", "Aadil"),
        new Name("عاطف", "Atif"),
        new Name("عامر", "Amir", "Aamir"),
        new Name("عدنان", "Adnan"),
        new Name("عقیل", "Aqeel", "Aqil"),
        new Name("غلام مصطفیٰ", "Ghulam Mustafa"),
        new Name("فرحان", "Farhan"),
        new Name("فہد", "Fahad", "Fahd"),
        new Name("قاسم", "Qasim", "Kasim"),
        new Name("کاشف", "Kashif"),
        new Name("مبشر", "Mubashir", "Mubashar"),
        new Name("مجاہد", "Mujahid"),
        new Name("منظور", "Manzoor"),
        new Name("نعمان", "Noman", "Nouman"),
        new Name("واجد", "Wajid"),
        new Name("یاسر", "Yasir", "Yasar"),
        new Name("محمد بلال", "Muhammad Bilal", "Mohammad Bilal"),
        new Name("محمد عثمان", "Muhammad Usman", "Mohd Usman"),
        new Name("محمد شفیع", "Muhammad Shafi", "Mohammad Shafi"),
    };

    static final Name[] FEMALE = {
        new Name("عائشہ", "Ayesha", "Aisha", "Aysha"),
        new Name("فاطمہ", "Fatima", "Fatimah"),
        new Name("زینب", "Zainab", "Zaynab"),
        new Name("خدیجہ", "Khadija", "Khadijah"),
        new Name("مریم", "Maryam", "Mariam"),
        new Name("نسیم", "Naseem", "Nasim"),
        new Name("شازیہ", "Shazia"),
        new Name("روبینہ", "Rubina", "Robina"),
        new Name("نسرین", "Nasreen", "Nasrin"),
        new Name("سعدیہ", "Sadia"),
        new Name("آمنہ", "Amna", "Aamna"),
        new Name("صائمہ", "Saima"),
        new Name("فرزانہ", "Farzana"),
        new Name("پروین", "Parveen", "Perveen"),
        new Name("شمیم", "Shamim", "Shameem"),
        new Name("کوثر", "Kausar", "Kosar"),
        new Name("بشریٰ", "Bushra"),
        new Name("حنا", "Hina"),
        new Name("ثناء", "Sana"),
        new Name("عظمیٰ", "Uzma"),
        new Name("ثمینہ", "Samina", "Sameena"),
        new Name("نازیہ", "Nazia"),
        new Name("اسماء", "Asma"),
        new Name("رخسانہ", "Rukhsana"),
        new Name("زرغونہ", "Zarghuna", "Zarghoona"),
        new Name("غزالہ", "Ghazala"),
        new Name("افشاں", "Afshan"),
        new Name("انیلا", "Anila", "Aneela"),
        new Name("ارم", "Iram", "Irum"),
        new Name("بلقیس", "Bilqees", "Bilquis"),
        new Name("تسلیم", "Tasleem", "Taslim"),
        new Name("ثوبیہ", "Sobia", "Sobiya"),
        new Name("جمیلہ", "Jamila", "Jameela"),
        new Name("حلیمہ", "Halima", "Haleema"),
        new Name("رضیہ", "Razia"),
        new Name("رقیہ", "Ruqayya", "Ruqaiya"),
        new Name("زاہدہ", "Zahida"),
        new Name("زبیدہ", "Zubaida"),
        new Name("سائرہ", "Saira"),
        new Name("سلمیٰ", "Salma"),
        new Name("سمیرا", "Sumaira", "Sumera"),
        new Name("شاہدہ", "Shahida"),
        new Name("شگفتہ", "Shagufta"),
        new Name("صغریٰ", "Sughra", "Sughran"),
        new Name("طاہرہ", "Tahira"),
        new Name("عابدہ", "Abida"),
        new Name("عالیہ", "Aliya", "Aaliya"),
        new Name("فوزیہ", "Fozia", "Fouzia"),
        new Name("کلثوم", "Kulsoom", "Kalsoom"),
        new Name("گلناز", "Gulnaz"),
        new Name("لبنیٰ", "Lubna"),
        new Name("مہوش", "Mehwish", "Mahwish"),
        new Name("نادیہ", "Nadia"),
        new Name("نرگس", "Nargis"),
        new Name("نگہت", "Nighat", "Nikhat"),
        new Name("ہاجرہ", "Hajra", "Hajira"),
        new Name("یاسمین", "Yasmeen", "Yasmin"),
        new Name("شبانہ", "Shabana"),
        new Name("ممتاز", "Mumtaz"),
    };

    static final Name[] FAMILY = {
        new Name("خان", "Khan"),
        new Name("احمد", "Ahmed", "Ahmad"),
        new Name("ملک", "Malik"),
        new Name("بٹ", "Butt"),
        new Name("قریشی", "Qureshi", "Quraishi"),
        new Name("چوہدری", "Chaudhry", "Chaudhary"),
        new Name("شاہ", "Shah"),
        new Name("عباسی", "Abbasi"),
        new Name("جتوئی", "Jatoi"),
        new Name("بلوچ", "Baloch"),
        new Name("میمن", "Memon"),
        new Name("سومرو", "Soomro"),
        new Name("اعوان", "Awan"),
        new Name("گوندل", "Gondal"),
        new Name("بھٹی", "Bhatti"),
        new Name("راجپوت", "Rajput"),
        new Name("صدیقی", "Siddiqui", "Siddiqi"),
        new Name("شیخ", "Sheikh", "Shaikh"),
        new Name("مغل", "Mughal"),
        new Name("مری", "Marri"),
        new Name("خٹک", "Khattak"),
        new Name("آفریدی", "Afridi"),
        new Name("یوسفزئی", "Yousafzai"),
        new Name("حسین", "Hussain"),
        new Name("ارائیں", "Arain"),
        new Name("جٹ", "Jutt", "Jat"),
        new Name("ڈوگر", "Dogar"),
        new Name("کھوسہ", "Khosa"),
        new Name("لغاری", "Leghari", "Laghari"),
        new Name("مزاری", "Mazari"),
        new Name("بگٹی", "Bugti"),
        new Name("رند", "Rind"),
        new Name("مینگل", "Mengal"),
        new Name("کاکڑ", "Kakar"),
        new Name("اچکزئی", "Achakzai"),
        new Name("مروت", "Marwat"),
        new Name("بنگش", "Bangash"),
        new Name("تنولی", "Tanoli"),
        new Name("کیانی", "Kiani", "Kayani"),
        new Name("ستی", "Satti"),
        new Name("نیازی", "Niazi"),
        new Name("وٹو", "Wattoo", "Watto"),
        new Name("سیال", "Sial"),
        new Name("ٹوانہ", "Tiwana", "Tawana"),
        new Name("چانڈیو", "Chandio"),
        new Name("بھٹو", "Bhutto"),
        new Name("لاشاری", "Lashari"),
        new Name("شر", "Shar"),
        new Name("پیرزادہ", "Pirzada"),
        new Name("انصاری", "Ansari"),
        new Name("ہاشمی", "Hashmi"),
        new Name("رضوی", "Rizvi"),
        new Name("نقوی", "Naqvi"),
        new Name("جعفری", "Jafri", "Jafferi"),
    };

    static final Name BIBI = new Name("بی بی", "Bibi", "Bibi", "BB");

    static final String[] DISTRICTS = {
        "Lahore",
        "Tharparkar",
        "Quetta",
        "Peshawar",
        "Muzaffargarh",
        "Karachi East",
        "Swat",
        "Gilgit",
        "Faisalabad",
        "Kech",
        "Rawalpindi",
        "Hyderabad"
    };

    static final String[] FACILITIES = {
        "Mayo Hospital Lahore", "Civil Hospital Mithi", "BHU Chak 45", "Lady Reading Hospital",
        "Services Hospital Lahore", "RHC Islamkot", "Marham Telehealth", "Sehat Kahani",
        "DHQ Muzaffargarh", "Civil Hospital Quetta", "Aga Khan University Hospital", "BHU Kech"
    };

    private final Random random;
    private final List<Person> people = new ArrayList<>();
    private final List<Visit> visits = new ArrayList<>();
    private final LocalDate today;

    private SyntheticPopulation(long seed, LocalDate today) {
        this.random = new Random(seed);
        this.today = today;
    }

    /** People in households until there are about {@code records} records of them. */
    static SyntheticPopulation generate(long seed, int records, LocalDate today) {
        SyntheticPopulation population = new SyntheticPopulation(seed, today);
        while (population.visits.size() < records) {
            population.household();
        }
        return population;
    }

    List<Person> people() {
        return people;
    }

    List<Visit> visits() {
        return visits;
    }

    private void household() {
        String district = pick(DISTRICTS);
        Name family = pick(FAMILY);
        String phone = phone();
        Person father = person(pick(MALE), family, "male", adultBirthDate(), null, null, district, phone);
        people.add(father);
        Person mother = person(
                pick(FEMALE),
                random.nextInt(10) < 5 ? BIBI : family,
                "female",
                adultBirthDate(),
                father.given(),
                "husband",
                district,
                random.nextInt(10) < 4 ? phone : phone());
        people.add(mother);
        int children = random.nextInt(5);
        java.util.Set<Name> namesGiven = new java.util.HashSet<>();
        for (int c = 0; c < children; c++) {
            LocalDate born = today.minusDays(200 + random.nextInt(17 * 365));
            int twins = random.nextInt(100) < 4 ? 2 : 1;
            for (int t = 0; t < twins; t++) {
                boolean boy = random.nextBoolean();
                Name given;
                do {
                    // A family gives one name to one child.
                    given = boy ? pick(MALE) : pick(FEMALE);
                } while (!namesGiven.add(given));
                Person child = new Person(
                        people.size(),
                        given,
                        boy ? family : (random.nextBoolean() ? BIBI : family),
                        boy ? "male" : "female",
                        born,
                        null,
                        random.nextInt(10) < 4 ? identityNumber(boy ? "male" : "female") : null,
                        mother.cnic(),
                        father.given(),
                        "father",
                        mother.given(),
                        phone,
                        district);
                people.add(child);
            }
        }
        for (int p = people.size() - 2 - children; p < people.size(); p++) {
            if (p < 0) {
                continue;
            }
            Person person = people.get(p);
            int seen = 1
                    + (random.nextInt(100) < 45 ? 1 : 0)
                    + (random.nextInt(100) < 20 ? 1 : 0)
                    + (random.nextInt(100) < 8 ? 1 : 0);
            for (int v = 0; v < seen; v++) {
                int roll = random.nextInt(100);
                Source source = roll < 50 ? Source.HL7V2 : roll < 80 ? Source.CSV : Source.TELEHEALTH;
                visits.add(new Visit(person.id(), pick(FACILITIES), source, person));
            }
        }
    }

    private Person person(
            Name given,
            Name family,
            String sex,
            LocalDate born,
            Name relative,
            String relativeKind,
            String district,
            String phone) {
        Name fatherOfAdult = pick(MALE);
        return new Person(
                people.size(),
                given,
                family,
                sex,
                born,
                random.nextInt(100) < 90 ? identityNumber(sex) : null,
                null,
                null,
                relative != null ? relative : fatherOfAdult,
                relative != null ? relativeKind : "father",
                pick(FEMALE),
                phone,
                district);
    }

    /** Adults: one in six recorded as born on 1 January, as desks write when nobody knows. */
    private LocalDate adultBirthDate() {
        LocalDate born = today.minusYears(19 + random.nextInt(55)).minusDays(random.nextInt(365));
        return random.nextInt(6) == 0 ? LocalDate.of(born.getYear(), 1, 1) : born;
    }

    /** A CNIC-shaped number whose last digit says the sex (odd male, even female). */
    private String identityNumber(String sex) {
        int province = 1 + random.nextInt(7);
        String middle =
                String.format("%04d", random.nextInt(10_000)) + String.format("%07d", random.nextInt(10_000_000));
        int last = random.nextInt(5) * 2 + ("male".equals(sex) ? 1 : 0);
        return province + middle.substring(0, 4) + "-" + middle.substring(4) + "-" + last;
    }

    private String phone() {
        return "03" + (random.nextInt(5) * 10 + random.nextInt(10)) + String.format("%07d", random.nextInt(10_000_000));
    }

    <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    Random random() {
        return random;
    }
}
