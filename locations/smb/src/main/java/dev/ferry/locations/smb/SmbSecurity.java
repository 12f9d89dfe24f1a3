package dev.ferry.locations.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.SecurityInformation;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.smb.SMBBuffer;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.locations.SecurityDescriptor.Part;
import java.util.EnumSet;
import java.util.Set;

/**
 * Security descriptors between Ferry's neutral form and smbj's. What is read is rebuilt with only
 * the parts asked for and the control bits that belong to them, so two reads of equal
 * descriptors give equal bytes whatever else the server put in its answer.
 */
final class SmbSecurity {
    private static final Set<com.hierynomus.msdtyp.SecurityDescriptor.Control> DACL_CONTROL = EnumSet.of(
            com.hierynomus.msdtyp.SecurityDescriptor.Control.DP, com.hierynomus.msdtyp.SecurityDescriptor.Control.DI,
            com.hierynomus.msdtyp.SecurityDescriptor.Control.PD, com.hierynomus.msdtyp.SecurityDescriptor.Control.DC);
    private static final Set<com.hierynomus.msdtyp.SecurityDescriptor.Control> SACL_CONTROL = EnumSet.of(
            com.hierynomus.msdtyp.SecurityDescriptor.Control.SP, com.hierynomus.msdtyp.SecurityDescriptor.Control.SI,
            com.hierynomus.msdtyp.SecurityDescriptor.Control.PS, com.hierynomus.msdtyp.SecurityDescriptor.Control.SC);

    private SmbSecurity() {
    }

    static Set<SecurityInformation> information(Set<Part> parts) {
        Set<SecurityInformation> info = EnumSet.noneOf(SecurityInformation.class);
        for (Part part : parts) {
            info.add(switch (part) {
                case OWNER -> SecurityInformation.OWNER_SECURITY_INFORMATION;
                case GROUP -> SecurityInformation.GROUP_SECURITY_INFORMATION;
                case DACL -> SecurityInformation.DACL_SECURITY_INFORMATION;
                case SACL -> SecurityInformation.SACL_SECURITY_INFORMATION;
            });
        }
        return info;
    }

    /** What a handle must be opened with to write {@code parts}. */
    static Set<AccessMask> writeAccess(Set<Part> parts) {
        Set<AccessMask> access = EnumSet.noneOf(AccessMask.class);
        if (parts.contains(Part.OWNER) || parts.contains(Part.GROUP)) {
            access.add(AccessMask.WRITE_OWNER);
        }
        if (parts.contains(Part.DACL)) {
            access.add(AccessMask.WRITE_DAC);
        }
        if (parts.contains(Part.SACL)) {
            access.add(AccessMask.ACCESS_SYSTEM_SECURITY);
        }
        return access;
    }

    static SecurityDescriptor toFerry(com.hierynomus.msdtyp.SecurityDescriptor read, Set<Part> parts) {
        Set<com.hierynomus.msdtyp.SecurityDescriptor.Control> control = EnumSet.noneOf(com.hierynomus.msdtyp.SecurityDescriptor.Control.class);
        for (com.hierynomus.msdtyp.SecurityDescriptor.Control c : read.getControl()) {
            if (parts.contains(Part.DACL) && DACL_CONTROL.contains(c) || parts.contains(Part.SACL) && SACL_CONTROL.contains(c)) {
                control.add(c);
            }
        }
        com.hierynomus.msdtyp.SecurityDescriptor kept = new com.hierynomus.msdtyp.SecurityDescriptor(control,
                parts.contains(Part.OWNER) ? read.getOwnerSid() : null, parts.contains(Part.GROUP) ? read.getGroupSid() : null,
                parts.contains(Part.SACL) ? read.getSacl() : null, parts.contains(Part.DACL) ? read.getDacl() : null);
        SMBBuffer buffer = new SMBBuffer();
        kept.write(buffer);
        return SecurityDescriptor.of(parts, buffer.getCompactData());
    }

    static com.hierynomus.msdtyp.SecurityDescriptor toSmb(SecurityDescriptor descriptor) {
        try {
            return com.hierynomus.msdtyp.SecurityDescriptor.read(new SMBBuffer(descriptor.bytes()));
        } catch (Buffer.BufferException e) {
            throw new IllegalArgumentException("a security descriptor that cannot be read: " + e.getMessage(), e);
        }
    }
}
