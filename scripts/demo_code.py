"""Prints the current security code for the demo logins' shared TOTP secret."""

from base64 import b32decode

from django_otp.oath import TOTP

print(f"{TOTP(b32decode('JBSWY3DPEHPK3PXP')).token():06d}")
