package io.lifeboat.domain.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One page of a listing; {@code nextSortKey} is where the next page starts, null on the last. */
public record Page<T>(List<T> items, String nextSortKey) {

    /** Every item of a paged listing: {@code fetch} gets the page that starts at a key or token (null: the first). */
    public static <T> List<T> drain(Function<String, Page<T>> fetch) {
        List<T> out = new ArrayList<>();
        String next = null;
        do {
            Page<T> page = fetch.apply(next);
            out.addAll(page.items());
            next = page.nextSortKey();
        } while (next != null);
        return out;
    }
}
