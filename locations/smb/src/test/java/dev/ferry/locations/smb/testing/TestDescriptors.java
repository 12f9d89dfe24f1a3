package dev.ferry.locations.smb.testing;

import com.hierynomus.msdtyp.ACL;
import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.SID;
import com.hierynomus.msdtyp.ace.ACE;
import com.hierynomus.msdtyp.ace.AceFlags;
import com.hierynomus.msdtyp.ace.AceTypes;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.smb.SMBBuffer;
import dev.ferry.locations.Location;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.locations.SecurityDescriptor.Part;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Security descriptors for tests, built with smbj's types and turned into Ferry's form. */
public final class TestDescriptors {
    public static final Set<Part> OWNER_DACL = Set.copyOf(EnumSet.of(Part.OWNER, Part.DACL));
    public static final Set<Part> OWNER_DACL_SACL = Set.copyOf(EnumSet.of(Part.OWNER, Part.DACL, Part.SACL));
    /** Rights as a server stores them: generic rights would come back mapped to these. */
    public static final Set<AccessMask> FILE_READ = Set.copyOf(EnumSet.of(AccessMask.FILE_READ_DATA, AccessMask.FILE_READ_EA,
            AccessMask.FILE_READ_ATTRIBUTES, AccessMask.READ_CONTROL, AccessMask.SYNCHRONIZE));
    public static final Set<AccessMask> FILE_WRITE = Set.copyOf(EnumSet.of(AccessMask.FILE_WRITE_DATA, AccessMask.FILE_APPEND_DATA,
            AccessMask.FILE_WRITE_EA, AccessMask.FILE_WRITE_ATTRIBUTES, AccessMask.READ_CONTROL, AccessMask.SYNCHRONIZE));
    public static final Set<AccessMask> FILE_ALL = Set.copyOf(EnumSet.of(AccessMask.FILE_READ_DATA, AccessMask.FILE_WRITE_DATA,
            AccessMask.FILE_APPEND_DATA, AccessMask.FILE_READ_EA, AccessMask.FILE_WRITE_EA, AccessMask.FILE_EXECUTE,
            AccessMask.FILE_DELETE_CHILD, AccessMask.FILE_READ_ATTRIBUTES, AccessMask.FILE_WRITE_ATTRIBUTES, AccessMask.DELETE,
            AccessMask.READ_CONTROL, AccessMask.WRITE_DAC, AccessMask.WRITE_OWNER, AccessMask.SYNCHRONIZE));

    private TestDescriptors() {
    }

    /**
     * {@code owner}, a protected DACL giving the owner everything and, when {@code everyoneReads},
     * everyone read, and {@code sacl} when given (then with the SACL part).
     */
    public static SecurityDescriptor descriptor(SID owner, boolean everyoneReads, ACL sacl) {
        List<ACE> aces = new ArrayList<>();
        aces.add(AceTypes.accessAllowedAce(EnumSet.noneOf(AceFlags.class), FILE_ALL, owner));
        if (everyoneReads) {
            aces.add(AceTypes.accessAllowedAce(EnumSet.noneOf(AceFlags.class), FILE_READ, SID.EVERYONE));
        }
        SMBBuffer buffer = new SMBBuffer();
        new com.hierynomus.msdtyp.SecurityDescriptor(EnumSet.of(com.hierynomus.msdtyp.SecurityDescriptor.Control.PD), owner, null,
                sacl, new ACL(ACL.ACL_REVISION, aces)).write(buffer);
        return SecurityDescriptor.of(sacl == null ? OWNER_DACL : OWNER_DACL_SACL, buffer.getCompactData());
    }

    /** An audit of failed {@code rights} by everyone. */
    public static ACL auditFailures(Set<AccessMask> rights) {
        return new ACL(ACL.ACL_REVISION, List.of(AceTypes.systemAuditAce(EnumSet.of(AceFlags.FAILED_ACCESS_ACE_FLAG), rights,
                SID.EVERYONE)));
    }

    /** The owner of {@code key}, as the location reads it. */
    public static SID ownerOf(Location location, String key) {
        try {
            return com.hierynomus.msdtyp.SecurityDescriptor.read(new SMBBuffer(location.securityDescriptor(key, OWNER_DACL).bytes()))
                    .getOwnerSid();
        } catch (Buffer.BufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
