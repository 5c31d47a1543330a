"""UNIPEN text made from pen digits, for testing the reader on files it has never seen."""


def unipen_text(pen, dt=True):
    """The UNIPEN text of ``pen``, laid out as the UCI pen-based digits file is."""
    lines = [
        ".INCLUDE        dene.doc",
        "",
        '.LEXICON "0" "1" "2" "3" "4" "5" "6" "7" "8" "9"',
        ".HIERARCHY      DIGIT",
        "",
    ]
    for i in range(len(pen)):
        label, writer = int(pen.labels[i]), int(pen.writers[i])
        lines += [f'.SEGMENT DIGIT    {i} ? "{label}"', f".COMMENT {label} {writer}  {i}"]
        for stroke in pen.strokes_of(i):
            lines.append(".PEN_DOWN")
            lines += [f" {x:3d}  {y:3d}" for x, y in stroke.tolist()]
            lines.append(".PEN_UP")
        if dt:
            lines.append(".DT 100")
        lines.append("")
    return "\n".join(lines) + "\n"
