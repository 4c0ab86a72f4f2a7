"""Printed by `make run`: where the app is and how to sign in."""

import sys

port = sys.argv[1] if len(sys.argv) > 1 else "8000"
print(
    f"""
TalkingMoves is starting at http://127.0.0.1:{port}/

Demo logins (password TalkingMoves-demo-1 for all):
  clinician@demo.test          clinician, Riverside NHS Talking Therapies
  clinician@other.demo.test    clinician, Hillside NHS Talking Therapies
  lead@demo.test               service lead, Riverside NHS Talking Therapies
  partnership@demo.test        Active Partnership staff, Active Riverside Partnership
  provider@demo.test           provider staff, Riverside Leisure Centre
  admin@demo.test              administrator

Clinicians, the lead and the admin also need a security code: add the setup key
JBSWY3DPEHPK3PXP to an authenticator app (or run: .venv/bin/python scripts/demo_code.py).

Press Ctrl-C to stop the web server, worker and scheduler.
"""
)
