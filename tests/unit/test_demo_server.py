"""The box ``make run`` prints once gunicorn is ready: the address and the demo sign-ins."""

from __future__ import annotations

from accredit.cli.demo_server import NO_SIGN_INS, sign_in_box

SIGN_INS = (
    "Demo sign-ins (also kept in instance/demo-sign-ins.txt, never in the code):\n"
    "  HEE admin                  admin@hee.example.nhs.uk             "
    "amber-orbit-willow-12  (HEE)\n"
    "  Organisation lead          lead1@demo.example.nhs.uk            quartz-meadow-amber-34  "
    "(Northgate Hospitals NHS Foundation Trust: part done)\n"
)


def test_the_box_frames_the_address_and_every_sign_in():
    box = sign_in_box("http://127.0.0.1:5000", SIGN_INS, width=200)
    lines = box.splitlines()
    assert lines[0] == lines[-1] == "+" + "-" * (len(lines[0]) - 2) + "+"
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[1:-1])
    assert len({len(line) for line in lines}) == 1  # a rectangle
    assert "accredit is running at http://127.0.0.1:5000" in lines[1]
    for line in SIGN_INS.splitlines():
        assert f"| {line}" in box
    assert "Press Ctrl-C to stop." in lines[-2]


def test_a_narrow_terminal_gets_long_lines_wrapped_inside_the_box():
    box = sign_in_box("http://127.0.0.1:5000", SIGN_INS, width=80)
    lines = box.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert len({len(line) for line in lines}) == 1
    # Nothing is lost, and an email or a password is never split across lines.
    words = " ".join(line.strip("| ") for line in lines).split()
    for word in ("admin@hee.example.nhs.uk", "amber-orbit-willow-12", "quartz-meadow-amber-34"):
        assert word in words
    assert "(Northgate" in words and "done)" in words


def test_without_sign_ins_the_box_says_how_to_make_an_account():
    box = sign_in_box("http://127.0.0.1:8000", None)
    assert "http://127.0.0.1:8000" in box
    for line in NO_SIGN_INS.splitlines():
        assert line in box
