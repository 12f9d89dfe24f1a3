package dev.ferry.controlplane;

import dev.ferry.controlplane.api.ApiException;
import dev.ferry.controlplane.api.Requests;
import dev.ferry.controlplane.security.SecretBox;
import dev.ferry.controlplane.store.Ids;
import dev.ferry.controlplane.store.Json;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Views;
import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationDrivers;
import dev.ferry.locations.Reach;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locations: validated by their driver before anything is stored; secrets split off, sealed, and
 * never returned.
 */
public final class LocationService {
    private static final Logger LOG = LoggerFactory.getLogger(LocationService.class);
    private static final int MAX_AGENTS = 8;

    private final Repository repository;
    private final LocationDrivers drivers;
    private final SecretBox secrets;

    public LocationService(Repository repository, LocationDrivers drivers, SecretBox secrets) {
        this.repository = repository;
        this.drivers = drivers;
        this.secrets = secrets;
    }

    public Views.Location create(Map<String, Object> body) {
        Requests request = new Requests(body);
        request.allowOnly(Set.of("name", "type", "agents", "settings"));
        String type = request.requireString("type");
        LocationDriver<?> driver = drivers.find(type)
                .orElseThrow(() -> ApiException.badRequest("type", "unknown location type '" + type + "'; one of " + drivers.kinds()));
        String name = request.optionalString("name").orElse(type + " location");
        Map<String, Object> settings = request.object("settings");
        try {
            driver.parse(settings);
        } catch (InvalidSettingsException e) {
            throw ApiException.badRequest(e.field(), e.getMessage());
        }
        List<String> agents = request.stringList("agents");
        if (driver.reach() == Reach.AGENT && agents.isEmpty()) {
            throw ApiException.badRequest("agents", type + " locations are reached through an agent: name 1 to " + MAX_AGENTS);
        }
        if (driver.reach() == Reach.CONTROL_PLANE && !agents.isEmpty()) {
            throw ApiException.badRequest("agents", type + " locations are reached by the control plane itself: name no agent");
        }
        if (agents.size() > MAX_AGENTS) {
            throw ApiException.badRequest("agents", "at most " + MAX_AGENTS + " agents");
        }
        for (String agent : agents) {
            if (repository.agent(agent).isEmpty()) {
                throw ApiException.badRequest("agents", "no agent with id '" + agent + "'");
            }
        }
        Map<String, Object> plain = new TreeMap<>(settings);
        Map<String, Object> secret = new TreeMap<>();
        for (String field : driver.secretFields()) {
            if (plain.containsKey(field)) {
                secret.put(field, plain.remove(field));
            }
        }
        String sealed = secret.isEmpty() ? null : secrets.seal(Json.write(secret));
        Repository.LocationRow row = new Repository.LocationRow(Ids.next("loc"), name, type, plain, sealed, agents, Instant.now());
        repository.insertLocation(row);
        LOG.info("event=location_created location={} type={}", row.id(), type);
        return view(row);
    }

    public List<Views.Location> list() {
        return repository.locations().stream().map(this::view).toList();
    }

    public Views.Location get(String id) {
        return view(row(id));
    }

    public Repository.LocationRow row(String id) {
        return repository.location(id).orElseThrow(() -> ApiException.notFound("location", id));
    }

    public void delete(String id) {
        row(id);
        if (repository.tasksUsingLocation(id) > 0) {
            throw ApiException.conflict("location " + id + " is used by a task; delete the task first");
        }
        repository.deleteLocation(id);
    }

    /** Settings with secrets, for the worker that opens the location. Never for the API. */
    public Map<String, Object> fullSettings(Repository.LocationRow row) {
        Map<String, Object> all = new HashMap<>(row.settings());
        if (row.sealedSecrets() != null) {
            all.putAll(Json.readMap(secrets.open(row.sealedSecrets())));
        }
        return all;
    }

    private Views.Location view(Repository.LocationRow row) {
        List<String> secretsSet = row.sealedSecrets() == null ? List.of()
                : List.copyOf(Json.readMap(secrets.open(row.sealedSecrets())).keySet());
        return new Views.Location(row.id(), row.name(), row.type(), row.agentIds(), row.settings(), secretsSet, row.createdAt());
    }
}
