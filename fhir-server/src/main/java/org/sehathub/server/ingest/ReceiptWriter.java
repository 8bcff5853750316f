package org.sehathub.server.ingest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.sehathub.ingest.sink.MessageReceipt;

/**
 * Writes the receipts of a transaction's messages from inside HAPI's database transaction, after
 * every entry has been written and before it commits: the resources and the receipts commit or
 * roll back together. Registered on the request of that one transaction only.
 *
 * <p>A receipt lists the resources its message created or changed, collected from HAPI's
 * pre-commit hooks (a conditional create that matched an existing resource wrote nothing and is not
 * listed); a resend is answered with the same list. In a transaction of several messages ({@link
 * GroupCommit}) each written resource belongs to the message whose entry it is (HAPI sets the id on
 * each entry's resource as it writes it); one that belongs to no message, or to two, fails the
 * transaction, and its messages are then stored one by one.
 */
@Interceptor
class ReceiptWriter {

    /** One message of the transaction: its receipt and, in a group, its entries. */
    record Member(MessageReceipt receipt, List<BundleEntryComponent> entries) {}

    private final MessageReceipts receipts;
    private final List<Member> members;
    private final Set<String> written = new LinkedHashSet<>();
    private List<List<String>> writtenIds;

    /** For a transaction that is one message: everything it writes is the message's. */
    ReceiptWriter(MessageReceipts receipts, MessageReceipt receipt) {
        this(receipts, List.of(new Member(receipt, List.of())));
    }

    /** For a transaction of {@code members}, their entries one after the other. */
    ReceiptWriter(MessageReceipts receipts, List<Member> members) {
        this.receipts = receipts;
        this.members = List.copyOf(members);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        written.add(versionless(resource));
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        written.add(versionless(resource));
    }

    @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSED)
    public void writeReceipts() {
        List<List<String>> perMember = members.size() == 1 ? List.of(List.copyOf(written)) : byMember();
        for (int i = 0; i < members.size(); i++) {
            receipts.insert(members.get(i).receipt(), perMember.get(i));
        }
        writtenIds = perMember;
    }

    /** Versionless ids of what member {@code index} created or changed, in the order HAPI wrote them. */
    List<String> writtenIds(int index) {
        if (writtenIds == null) {
            throw new IllegalStateException("HAPI committed a transaction without calling the receipt hook");
        }
        return writtenIds.get(index);
    }

    /** Versionless ids of what the only message created or changed. */
    List<String> writtenIds() {
        return writtenIds(0);
    }

    private List<List<String>> byMember() {
        Map<String, Set<Integer>> owners = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            for (BundleEntryComponent entry : members.get(i).entries()) {
                if (entry.getResource() != null
                        && entry.getResource().getIdElement().hasIdPart()) {
                    owners.computeIfAbsent(versionless(entry.getResource()), id -> new HashSet<>())
                            .add(i);
                }
            }
        }
        List<List<String>> perMember = new ArrayList<>();
        members.forEach(member -> perMember.add(new ArrayList<>()));
        for (String id : written) {
            Set<Integer> owner = owners.getOrDefault(id, Set.of());
            if (owner.size() != 1) {
                // Unknown whose change it was: the messages are stored one by one instead.
                throw new IllegalStateException("A transaction of several messages wrote a " + id.replaceAll("/.*", "")
                        + " that is " + (owner.isEmpty() ? "no message's entry" : "the entry of two messages"));
            }
            perMember.get(owner.iterator().next()).add(id);
        }
        return perMember.stream().map(List::copyOf).toList();
    }

    private static String versionless(IBaseResource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }
}
