/* SPDX-License-Identifier: Apache-2.0 */
/* compare_clean: text from a result file made safe for a terminal.
 *
 * Device names, hostnames, driver versions and the like come from files
 * that anyone may have written. Printed raw, an escape sequence in one can
 * recolour, move the cursor, retitle the window or hide lines of the table
 * (terminals act on ECMA-48 control functions, whatever the program meant).
 * The text writers print every such string through here: escape sequences
 * are dropped whole, other control characters become '?', so the rest of
 * the name stays readable and the table keeps its shape. JSON output needs
 * none of this: jansson escapes control characters (\u001b). */
#include "compare.h"

#include <string.h>

/* At s[i] == ESC: the index just past the escape sequence it starts
 * (ECMA-48, 5th ed., 1991): CSI "ESC [" parameters (0x30-0x3F),
 * intermediates (0x20-0x2F) and one final byte (0x40-0x7E), sec. 5.4;
 * the control strings OSC "ESC ]", DCS "ESC P", SOS "ESC X", PM "ESC ^"
 * and APC "ESC _" up to ST "ESC \" or BEL (as xterm also accepts), sec.
 * 5.6; any other is ESC, intermediates (0x20-0x2F) and a final byte
 * (0x30-0x7E), sec. 5.3 and ECMA-35 sec. 13. */
static size_t skip_escape(const unsigned char *s, size_t i)
{
    unsigned char k = s[i + 1];
    if (k == '\0')
        return i + 1;
    if (k == '[') {
        i += 2;
        while (s[i] >= 0x20 && s[i] <= 0x3F)
            i++;
        return s[i] >= 0x40 && s[i] <= 0x7E ? i + 1 : i;
    }
    if (strchr("]PX^_", k)) {
        for (i += 2; s[i]; i++) {
            if (s[i] == 0x07)
                return i + 1;
            if (s[i] == 0x1B && s[i + 1] == '\\')
                return i + 2;
        }
        return i;
    }
    size_t j = i + 1;
    while (s[j] >= 0x20 && s[j] <= 0x2F)
        j++;
    /* ESC, intermediates, a final byte: one function; without a final
     * byte only the ESC goes (the rest is plain text, such as a quote). */
    return s[j] >= 0x30 && s[j] <= 0x7E ? j + 1 : i + 1;
}

const char *hb_cmp_clean(const char *text, char *buf, size_t cap)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t o = 0;
    for (size_t i = 0; s[i] && o + 1 < cap;) {
        if (s[i] == 0x1B) {
            i = skip_escape(s, i);
        } else if (s[i] < 0x20 || s[i] == 0x7F) {
            buf[o++] = '?';
            i++;
        } else if (s[i] == 0xC2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
            /* C1 controls (U+0080-U+009F) in UTF-8; some terminals take
             * U+009B as CSI. */
            buf[o++] = '?';
            i += 2;
        } else {
            buf[o++] = (char)s[i++];
        }
    }
    buf[o] = '\0';
    return buf;
}
