package dev.ferry.locations.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User and group names for numeric IDs and back, as this host's user database has them. Every
 * answer is cached (a host has few users compared with files; the caches start over past
 * {@link #MAX_CACHED} entries), so a listing of millions of files costs one lookup per owner.
 */
final class OwnerNames {
    static final int MAX_CACHED = 10_000;
    private static final String NONE = "";
    private static final Map<Long, String> USERS = new ConcurrentHashMap<>();
    private static final Map<Long, String> GROUPS = new ConcurrentHashMap<>();
    private static final Map<String, Optional<UserPrincipal>> USERS_BY_NAME = new ConcurrentHashMap<>();
    private static final Map<String, Optional<GroupPrincipal>> GROUPS_BY_NAME = new ConcurrentHashMap<>();

    private OwnerNames() {
    }

    /** The name of {@code path}'s owner {@code uid}; empty when the user database has none. */
    static Optional<String> user(Path path, long uid) throws IOException {
        String name = USERS.get(uid);
        if (name == null) {
            UserPrincipal owner = (UserPrincipal) Files.getAttribute(path, "posix:owner", LinkOption.NOFOLLOW_LINKS);
            // The JDK names an unknown ID by its digits; that is no name.
            name = owner.getName().equals(Long.toString(uid)) ? NONE : owner.getName();
            put(USERS, uid, name);
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    static Optional<String> group(Path path, long gid) throws IOException {
        String name = GROUPS.get(gid);
        if (name == null) {
            GroupPrincipal group = (GroupPrincipal) Files.getAttribute(path, "posix:group", LinkOption.NOFOLLOW_LINKS);
            name = group.getName().equals(Long.toString(gid)) ? NONE : group.getName();
            put(GROUPS, gid, name);
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** The user called {@code name} on this host; empty when there is none. Cached. */
    static Optional<UserPrincipal> userNamed(Path path, String name) throws IOException {
        Optional<UserPrincipal> user = USERS_BY_NAME.get(name);
        if (user == null) {
            try {
                user = Optional.of(path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name));
            } catch (UserPrincipalNotFoundException e) {
                user = Optional.empty();
            }
            put(USERS_BY_NAME, name, user);
        }
        return user;
    }

    static Optional<GroupPrincipal> groupNamed(Path path, String name) throws IOException {
        Optional<GroupPrincipal> group = GROUPS_BY_NAME.get(name);
        if (group == null) {
            try {
                group = Optional.of(path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name));
            } catch (UserPrincipalNotFoundException e) {
                group = Optional.empty();
            }
            put(GROUPS_BY_NAME, name, group);
        }
        return group;
    }

    private static <K, V> void put(Map<K, V> cache, K key, V value) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, value);
    }
}
