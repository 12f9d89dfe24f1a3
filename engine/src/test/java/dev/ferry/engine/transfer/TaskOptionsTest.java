package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskOptionsTest {
    private static InvalidOptionException refusal(Map<String, Object> raw) {
        try {
            TaskOptions.parse(raw, TaskOptions.DEFAULTS);
        } catch (InvalidOptionException e) {
            return e;
        }
        throw new AssertionError("accepted " + raw);
    }

    @Test
    void unknownNamesAndValuesNameTheOption() {
        assertThat(refusal(Map.of("VerifyMod", "NONE")).field()).isEqualTo("options.VerifyMod");
        InvalidOptionException bad = refusal(Map.of("TransferMode", "SOME"));
        assertThat(bad.field()).isEqualTo("options.TransferMode");
        assertThat(bad.getMessage()).contains("CHANGED", "ALL");
        assertThat(refusal(Map.of("BytesPerSecond", 0)).field()).isEqualTo("options.BytesPerSecond");
        assertThat(TaskOptions.parse(Map.of("BytesPerSecond", 1_000_000), TaskOptions.DEFAULTS).bytesPerSecond()).isEqualTo(1_000_000);
    }

    @Test
    void forbiddenCombinationsNameBothOptions() {
        assertThat(refusal(Map.of("Mtime", "NONE")).getMessage()).contains("Mtime", "Atime");
        assertThat(refusal(Map.of("TransferMode", "ALL", "PreserveDeletedFiles", "REMOVE")).getMessage())
                .contains("PreserveDeletedFiles", "TransferMode");
    }

    @Test
    void defaultsAreDataSyncs() {
        assertThat(TaskOptions.DEFAULTS.verifyMode()).isEqualTo(TaskOptions.VerifyMode.POINT_IN_TIME_CONSISTENT);
        assertThat(TaskOptions.DEFAULTS.objectTags()).isEqualTo(TaskOptions.ObjectTags.PRESERVE);
        assertThat(TaskOptions.parse(Map.of("Uid", "NAME", "Gid", "BOTH"), TaskOptions.DEFAULTS).gid())
                .isEqualTo(TaskOptions.IdMapping.BOTH);
        assertThat(TaskOptions.parse(Map.of("PreserveDeletedFiles", "REMOVE"), TaskOptions.DEFAULTS).preserveDeletedFiles())
                .isEqualTo(TaskOptions.PreserveDeletedFiles.REMOVE);
    }

    @Test
    void givenValuesOverrideTheBase() {
        TaskOptions options = TaskOptions.parse(Map.of("VerifyMode", "NONE", "Mtime", "NONE", "Atime", "NONE"), TaskOptions.DEFAULTS);
        assertThat(options.verifyMode()).isEqualTo(TaskOptions.VerifyMode.NONE);
        assertThat(options.mtime()).isEqualTo(TaskOptions.Mtime.NONE);
        assertThat(options.transferMode()).isEqualTo(TaskOptions.TransferMode.CHANGED);
        assertThat(TaskOptions.parse(options.toMap(), TaskOptions.DEFAULTS)).isEqualTo(options);
        assertThatThrownBy(() -> TaskOptions.parse(Map.of("LogLevel", 3), TaskOptions.DEFAULTS)).isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void deviceTagAndSecurityDescriptorOptionsTakeDataSyncValues() {
        assertThat(TaskOptions.DEFAULTS.preserveDevices()).isEqualTo(TaskOptions.PreserveDevices.NONE);
        assertThat(TaskOptions.DEFAULTS.securityDescriptorCopyFlags()).isEqualTo(TaskOptions.SecurityDescriptorCopyFlags.OWNER_DACL);
        assertThat(TaskOptions.parse(Map.of("SecurityDescriptorCopyFlags", "OWNER_DACL_SACL", "ObjectTags", "NONE"),
                TaskOptions.DEFAULTS).securityDescriptorCopyFlags()).isEqualTo(TaskOptions.SecurityDescriptorCopyFlags.OWNER_DACL_SACL);
        assertThat(TaskOptions.parse(Map.of("PreserveDevices", "PRESERVE"), TaskOptions.DEFAULTS).preserveDevices())
                .isEqualTo(TaskOptions.PreserveDevices.PRESERVE);
        assertThatThrownBy(() -> TaskOptions.parse(Map.of("PreserveDevices", "ALL"), TaskOptions.DEFAULTS))
                .isInstanceOf(InvalidOptionException.class)
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("options.PreserveDevices"));
        assertThat(TaskOptions.parse(Map.of("ObjectTags", "NONE"), TaskOptions.DEFAULTS).objectTags())
                .isEqualTo(TaskOptions.ObjectTags.NONE);
        assertThatThrownBy(() -> TaskOptions.parse(Map.of("ObjectTags", "KEEP"), TaskOptions.DEFAULTS))
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("options.ObjectTags"));
        assertThatThrownBy(() -> TaskOptions.parse(Map.of("SecurityDescriptorCopyFlags", "ALL"), TaskOptions.DEFAULTS))
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("options.SecurityDescriptorCopyFlags"));
        TaskOptions all = TaskOptions.parse(Map.of("SecurityDescriptorCopyFlags", "NONE"), TaskOptions.DEFAULTS);
        assertThat(TaskOptions.parse(all.toMap(), TaskOptions.DEFAULTS)).isEqualTo(all);
    }
}
