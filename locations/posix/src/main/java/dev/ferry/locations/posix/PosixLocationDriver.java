package dev.ferry.locations.posix;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Location;
import dev.ferry.locations.Reach;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.SettingsReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Driver for directories an agent reaches through its own file system. */
public final class PosixLocationDriver implements LocationDriver<PosixSettings> {
    public static final String KIND = "posix";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public PosixSettings parse(Map<String, Object> raw) {
        SettingsReader reader = new SettingsReader(raw, "settings.", Set.of("path"));
        String path = reader.requireString("path");
        if (!Path.of(path).isAbsolute()) {
            throw new InvalidSettingsException("settings.path", "must be an absolute path, got '" + path + "'");
        }
        if (path.indexOf('\0') >= 0) {
            throw new InvalidSettingsException("settings.path", "must not contain NUL");
        }
        return new PosixSettings(Path.of(path).normalize().toString());
    }

    @Override
    public Set<String> secretFields() {
        return Set.of();
    }

    @Override
    public Reach reach() {
        return Reach.AGENT;
    }

    @Override
    public Location open(PosixSettings settings) {
        return new PosixLocation(Path.of(settings.path()));
    }
}
