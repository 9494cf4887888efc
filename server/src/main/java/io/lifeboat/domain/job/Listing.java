package io.lifeboat.domain.job;

import io.lifeboat.domain.Paging;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** Filtered listings over the catalog, for AWS's list operations whose filters the catalog cannot index. */
final class Listing {
    private static final int SCAN_PAGE = 500;

    private Listing() {
    }

    /**
     * A page of the records under a parent that pass a test, in sort-key order. {@code sortKey}
     * re-derives a record's key from the record, so a page may end at any item.
     */
    static <T> Page<T> filtered(Catalog catalog, Kind<T> kind, Scope scope, String parent, String tokenKind,
                                Predicate<T> test, Function<T, String> sortKey, String nextToken, Integer maxResults) {
        return filtered(catalog, kind, scope, parent, tokenKind, test, t -> false, sortKey, nextToken, maxResults);
    }

    /** As above; the scan ends at the first record that {@code past} accepts (in a newest-first listing, one too old). */
    static <T> Page<T> filtered(Catalog catalog, Kind<T> kind, Scope scope, String parent, String tokenKind,
                                Predicate<T> test, Predicate<T> past, Function<T, String> sortKey, String nextToken,
                                Integer maxResults) {
        int limit = Paging.limit(maxResults, 1000);
        String after = Paging.after(tokenKind, nextToken);
        List<T> items = new ArrayList<>();
        while (true) {
            Page<T> page = catalog.list(kind, scope.key(), parent, after, SCAN_PAGE);
            for (T record : page.items()) {
                if (past.test(record)) {
                    return new Page<>(items, null);
                }
                if (test.test(record)) {
                    if (items.size() == limit) {
                        return new Page<>(items, Paging.token(tokenKind, sortKey.apply(items.get(limit - 1))));
                    }
                    items.add(record);
                }
            }
            if (page.nextSortKey() == null) {
                return new Page<>(items, null);
            }
            after = page.nextSortKey();
        }
    }

    /** The records under a parent, in sort-key order, up to the first that {@code past} accepts. */
    static <T> List<T> until(Catalog catalog, Kind<T> kind, Scope scope, String parent, Predicate<T> past) {
        List<T> out = new ArrayList<>();
        String after = null;
        do {
            Page<T> page = catalog.list(kind, scope.key(), parent, after, SCAN_PAGE);
            for (T record : page.items()) {
                if (past.test(record)) {
                    return out;
                }
                out.add(record);
            }
            after = page.nextSortKey();
        } while (after != null);
        return out;
    }
}
