#!/usr/bin/python3
"""Makes the Django verifier vectors and a real `dumpdata` fixture with Django's own code.

Run once, commit the JSON it writes (CI needs no Python):

    apt-get install -y python3-django python3-argon2 python3-bcrypt   # Debian bookworm: Django 3.2
    /usr/bin/python3 apps/api/test/django/make-vectors.py

Writes, next to this script, fixtures/vectors.json (one entry per scheme and cost class, made by
`make_password` with Django's hashers, subclassed only to lower their cost) and
fixtures/dump.json / fixtures/dump-pks.jsonl (dumpdata of a throwaway project with a custom user
model `users.ExtendUser`, a `graphql_auth.UserStatus` table of django-graphql-auth 0.3.16's shape
and django-graphql-jwt's `refresh_token.RefreshToken`), plus fixtures/dump-passwords.json (the
plain passwords of the dump's users, for the end-to-end test).
scrypt is not in Django 3.2: its vectors use Django 4.x's ScryptPasswordHasher encoding verbatim
over hashlib.scrypt (the same code Django 4 runs).
"""
import base64
import hashlib
import json
import os
import secrets
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures')
WORK = tempfile.mkdtemp(prefix='django-vectors-')

# A throwaway project on disk: apps `users`, `graphql_auth`, `refresh_token`.
def write(path, text):
    full = os.path.join(WORK, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w') as f:
        f.write(text)

for app in ('users', 'graphql_auth', 'refresh_token'):
    write(f'{app}/__init__.py', '')
write('users/models.py', '''
from django.contrib.auth.models import AbstractUser
from django.db import models

class ExtendUser(AbstractUser):
    # The reference's custom user model (email required, 255 chars).
    email = models.EmailField(blank=False, max_length=255, verbose_name="email")
    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"

    class Meta:
        permissions = [("export_users", "Can export users")]
''')
write('graphql_auth/models.py', '''
from django.conf import settings
from django.db import models

class UserStatus(models.Model):
    # django-graphql-auth 0.3.16's model, field for field.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="status")
    verified = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    secondary_email = models.EmailField(blank=True, null=True)
''')
write('refresh_token/models.py', '''
from django.conf import settings
from django.db import models

class RefreshToken(models.Model):
    # django-graphql-jwt 0.3.0's refresh token (trimmed to the dumped fields).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refresh_tokens")
    token = models.CharField(max_length=255, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    revoked = models.DateTimeField(null=True, blank=True)
''')
sys.path.insert(0, WORK)

import django
from django.conf import settings

H = 'django.contrib.auth.hashers.'
settings.configure(
    DEBUG=False,
    SECRET_KEY='vectors-only',
    USE_TZ=True,
    INSTALLED_APPS=['django.contrib.contenttypes', 'django.contrib.auth', 'users', 'graphql_auth', 'refresh_token'],
    AUTH_USER_MODEL='users.ExtendUser',
    DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.join(WORK, 'db.sqlite3')}},
    PASSWORD_HASHERS=[H + n for n in (
        'PBKDF2PasswordHasher', 'PBKDF2SHA1PasswordHasher', 'Argon2PasswordHasher', 'BCryptSHA256PasswordHasher',
        'BCryptPasswordHasher', 'MD5PasswordHasher', 'SHA1PasswordHasher', 'UnsaltedMD5PasswordHasher',
        'UnsaltedSHA1PasswordHasher', 'CryptPasswordHasher')],
)
django.setup()

import argon2
import bcrypt
from django.contrib.auth import hashers
from django.contrib.auth.hashers import check_password, make_password
from django.core.management import call_command


class LowPBKDF2(hashers.PBKDF2PasswordHasher):
    iterations = 1000

class LowPBKDF2SHA1(hashers.PBKDF2SHA1PasswordHasher):
    iterations = 1000

class LowArgon2id(hashers.Argon2PasswordHasher):
    time_cost, memory_cost, parallelism = 1, 1024, 2

class OldArgon2i(hashers.Argon2PasswordHasher):
    # Django 1.10-3.1's settings: argon2i, 512 KiB, t 2, p 2.
    time_cost, memory_cost, parallelism = 2, 512, 2
    def params(self):
        return argon2.Parameters(type=argon2.low_level.Type.I, version=argon2.low_level.ARGON2_VERSION,
                                 salt_len=argon2.DEFAULT_RANDOM_SALT_LENGTH, hash_len=argon2.DEFAULT_HASH_LENGTH,
                                 time_cost=2, memory_cost=512, parallelism=2)
    def encode(self, password, salt):
        data = argon2.low_level.hash_secret(password.encode(), salt.encode(), time_cost=2, memory_cost=512,
                                            parallelism=2, hash_len=16, type=argon2.low_level.Type.I)
        return self.algorithm + data.decode('ascii')

class Argon2iV16(OldArgon2i):
    # Very old argon2-cffi: Argon2 version 1.0 (0x10).
    def encode(self, password, salt):
        data = argon2.low_level.hash_secret(password.encode(), salt.encode(), time_cost=2, memory_cost=512,
                                            parallelism=2, hash_len=16, type=argon2.low_level.Type.I, version=16)
        return self.algorithm + data.decode('ascii')

class LowBCryptSHA256(hashers.BCryptSHA256PasswordHasher):
    rounds = 4

class LowBCrypt(hashers.BCryptPasswordHasher):
    rounds = 4

class PyBcrypt2aSHA256(LowBCryptSHA256):
    # py-bcrypt wrote $2a$.
    def salt(self):
        return bcrypt.gensalt(self.rounds, prefix=b'2a')


def django_hash(password, hasher, truncates=False):
    encoded = make_password(password, hasher=hasher)
    assert check_password(password, encoded, preferred=hasher), encoded
    assert not check_password('x' + password, encoded, preferred=hasher), encoded
    # Plain bcrypt reads 72 bytes: a longer password plus anything still matches.
    assert check_password(password + 'x', encoded, preferred=hasher) == truncates, encoded
    return encoded


def scrypt_hash(password, n, r, p, salt=None):
    """Django 4.x ScryptPasswordHasher.encode, verbatim."""
    salt = salt or hashers.get_random_string(22)
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=128 * n * r * p + 2 ** 20, dklen=64)
    return '%s$%d$%s$%d$%d$%s' % ('scrypt', n, salt, r, p, base64.b64encode(digest).decode('ascii').strip())


vectors = []
def vector(scheme, password, encoded, note):
    vectors.append({'scheme': scheme, 'password': password, 'encoded': encoded, 'note': note})
    return encoded

LONG = 'correct horse battery staple ' * 3 + 'ünïcødé'  # > 72 UTF-8 bytes
assert len(LONG.encode()) > 72

vector('pbkdf2_sha256', 'hunter2-pbkdf2', django_hash('hunter2-pbkdf2', 'pbkdf2_sha256'), 'Django 3.2 default: 260000 iterations, 22-char salt')
vector('pbkdf2_sha256', 'pässwörd-ünicode', django_hash('pässwörd-ünicode', LowPBKDF2()), '1000 iterations, non-ASCII password')
vector('pbkdf2_sha256', LONG, django_hash(LONG, LowPBKDF2()), '1000 iterations, password over 72 bytes')
vector('pbkdf2_sha1', 'hunter2-sha1pbkdf', django_hash('hunter2-sha1pbkdf', 'pbkdf2_sha1'), 'Django 3.2 PBKDF2SHA1 default: 260000')
vector('pbkdf2_sha1', 'low-pbkdf2-sha1', django_hash('low-pbkdf2-sha1', LowPBKDF2SHA1()), '1000 iterations')
vector('argon2', 'hunter2-argon2id', django_hash('hunter2-argon2id', 'argon2'), 'Django 3.2 default: argon2id m=102400 t=2 p=8')
vector('argon2', 'low-argon2id', django_hash('low-argon2id', LowArgon2id()), 'argon2id m=1024 t=1 p=2')
vector('argon2', 'old-argon2i', django_hash('old-argon2i', OldArgon2i()), 'Django 1.10-3.1 argon2i m=512 t=2 p=2, v=19')
v16 = vector('argon2', 'older-argon2i', django_hash('older-argon2i', Argon2iV16()), 'argon2i v=16')
# Older still: argon2-cffi before v=: the same hash without the version field (implies 0x10).
no_v = v16.replace('$v=16$', '$', 1)
assert check_password('older-argon2i', no_v)
vector('argon2', 'older-argon2i', no_v, 'argon2i without v= (argon2-cffi before 16.0)')
vector('bcrypt_sha256', 'hunter2-bcrypt-sha256', django_hash('hunter2-bcrypt-sha256', LowBCryptSHA256()), 'rounds 4, $2b$')
vector('bcrypt_sha256', LONG, django_hash(LONG, LowBCryptSHA256()), 'rounds 4, password over 72 bytes (no truncation)')
vector('bcrypt_sha256', 'py-bcrypt-2a', django_hash('py-bcrypt-2a', PyBcrypt2aSHA256()), 'rounds 4, $2a$ (py-bcrypt)')
vector('bcrypt_sha256', 'default-bcrypt-sha256', django_hash('default-bcrypt-sha256', 'bcrypt_sha256'), 'Django default rounds 12')
vector('bcrypt', 'hunter2-bcrypt', django_hash('hunter2-bcrypt', LowBCrypt()), 'plain bcrypt, rounds 4')
vector('bcrypt', LONG, django_hash(LONG, LowBCrypt(), truncates=True), 'plain bcrypt, rounds 4, over 72 bytes (reads 72)')
vector('scrypt', 'hunter2-scrypt', scrypt_hash('hunter2-scrypt', 2 ** 14, 8, 1), 'Django 4.x default: N 2^14 r 8 p 1')
vector('scrypt', 'scrypt-p5', scrypt_hash('scrypt-p5', 2 ** 14, 8, 5), 'Django 5.1+ default: p 5')
vector('scrypt', 'low-scrypt', scrypt_hash('low-scrypt', 2 ** 10, 4, 2), 'N 2^10 r 4 p 2')
vector('md5', 'hunter2-md5', django_hash('hunter2-md5', 'md5'), 'salted md5')
vector('sha1', 'hunter2-sha1', django_hash('hunter2-sha1', 'sha1'), 'salted sha1')
vector('unsalted_md5', 'hunter2-unsalted-md5', django_hash('hunter2-unsalted-md5', 'unsalted_md5'), 'bare 32 hex')
um = hashers.UnsaltedMD5PasswordHasher().encode('hunter2-md5-dollar', '')
um = 'md5$$' + um
assert check_password('hunter2-md5-dollar', um)
vector('unsalted_md5', 'hunter2-md5-dollar', um, 'md5$$ form (length 37)')
vector('unsalted_sha1', 'hunter2-unsalted-sha1', django_hash('hunter2-unsalted-sha1', 'unsalted_sha1'), 'sha1$$ form')

# Not verifiable here, by design: what the importer and verifier must refuse.
refused = {
    'unusable': make_password(None),
    'unusable_old': '!',
    'empty': '',
    'crypt': django_hash('crypt-pw', 'crypt', truncates=True),  # DES crypt reads 8 characters
    'pbkdf2_out_of_bounds': 'pbkdf2_sha256$20000000$' + hashers.get_random_string(22) + '$' + base64.b64encode(os.urandom(32)).decode(),
    'argon2_memory_out_of_bounds': 'argon2$argon2id$v=19$m=4194304,t=2,p=8$' + base64.b64encode(os.urandom(16)).decode().rstrip('=') + '$' + base64.b64encode(os.urandom(16)).decode().rstrip('='),
    'argon2d': 'argon2$argon2d$v=19$m=512,t=2,p=2$' + base64.b64encode(os.urandom(16)).decode().rstrip('=') + '$' + base64.b64encode(os.urandom(16)).decode().rstrip('='),
    'bcrypt_cost_out_of_bounds': 'bcrypt_sha256$' + bcrypt.hashpw(b'x', bcrypt.gensalt(4)).decode().replace('$04$', '$31$', 1),
    'scrypt_n_not_power_of_two': 'scrypt$1000$' + hashers.get_random_string(22) + '$8$1$' + base64.b64encode(os.urandom(64)).decode(),
    'pbkdf2_bad_base64': 'pbkdf2_sha256$1000$salt$not*base64',
    'pbkdf2_missing_field': 'pbkdf2_sha256$1000$onlysalt',
    'too_long': 'pbkdf2_sha256$1000$' + 'a' * 100 + '$' + base64.b64encode(os.urandom(32)).decode(),
}

# The dump: one user per usable vector, and the awkward cases.
call_command('migrate', run_syncdb=True, verbosity=0)
from django.contrib.auth.models import Group, Permission
from django.contrib.auth import get_user_model
from graphql_auth.models import UserStatus
from refresh_token.models import RefreshToken
User = get_user_model()

editors = Group.objects.create(name='editors')
editors.permissions.add(Permission.objects.get(codename='change_extenduser'), Permission.objects.get(codename='export_users'))
viewers = Group.objects.create(name='Viewers')
viewers.permissions.add(Permission.objects.get(codename='view_group'))

passwords = {}
def user(username, email, encoded, password=None, status=True, verified=True, secondary=None, **extra):
    u = User(username=username, email=email, first_name=username.capitalize(), last_name='Django', **extra)
    u.password = encoded
    u.save()
    # graphql_auth's post_save receiver would create the status; here it is explicit, so a user can lack one.
    if status:
        UserStatus.objects.create(user=u, verified=verified, secondary_email=secondary)
    if password is not None:
        passwords[username] = password
    return u

seen = {}
for v in vectors:
    n = seen[v['scheme']] = seen.get(v['scheme'], 0) + 1
    name = f"{v['scheme'].replace('_', '-')}-{n}"
    u = user(name, f'{name}@example.com', v['encoded'], v['password'])
alice = User.objects.get(username='pbkdf2-sha256-1')
alice.groups.add(editors)
alice.user_permissions.add(Permission.objects.get(codename='view_extenduser'))
User.objects.get(username='argon2-1').groups.add(editors, viewers)
RefreshToken.objects.create(user=alice, token=secrets.token_hex(20))

user('unusable', 'unusable@example.com', refused['unusable'])
user('crypt-user', 'crypt@example.com', refused['crypt'])
user('huge-pbkdf2', 'huge@example.com', refused['pbkdf2_out_of_bounds'])
user('no-status', 'no-status@example.com', django_hash('no-status-pw', LowPBKDF2()), 'no-status-pw', status=False)
# Django is case-sensitive: two accounts the project must settle (the active, verified, recent one wins).
from django.utils import timezone
user('kim', 'kim@example.com', django_hash('kim-lower', LowPBKDF2()), 'kim-lower', last_login=None)
user('Kim', 'kim.upper@example.com', django_hash('kim-upper', LowPBKDF2()), 'kim-upper', last_login=timezone.now())
user('lee', 'lee@example.com', django_hash('lee-pw', LowPBKDF2()), 'lee-pw', secondary='lee.work@example.org')
user('lee_b', 'LEE@example.com', django_hash('lee-b-pw', LowPBKDF2()), 'lee-b-pw', is_active=False)
user('noor', 'noor@example.com', django_hash('noor-pw', LowPBKDF2()), 'noor-pw', secondary='Lee.Work@example.org')
user('admin', 'admin@example.com', django_hash('admin-pw', LowPBKDF2()), 'admin-pw', is_staff=True, is_superuser=True)

os.makedirs(OUT, exist_ok=True)
call_command('dumpdata', 'contenttypes', 'auth', 'users', 'graphql_auth', 'refresh_token', natural_foreign=True,
             output=os.path.join(OUT, 'dump.json'), verbosity=0)
call_command('dumpdata', 'users', 'graphql_auth', 'auth', 'contenttypes', 'refresh_token', format='jsonl',
             output=os.path.join(OUT, 'dump-pks.jsonl'), verbosity=0)
with open(os.path.join(OUT, 'vectors.json'), 'w') as f:
    json.dump({'django': django.get_version(), 'argon2_cffi': argon2.__version__, 'bcrypt': bcrypt.__version__,
               'vectors': vectors, 'refused': refused}, f, indent=1, ensure_ascii=False)
    f.write('\n')
with open(os.path.join(OUT, 'dump-passwords.json'), 'w') as f:
    json.dump(passwords, f, indent=1, ensure_ascii=False)
    f.write('\n')
print(f'{len(vectors)} vectors, {len(passwords)} users with passwords; written to {OUT}')
