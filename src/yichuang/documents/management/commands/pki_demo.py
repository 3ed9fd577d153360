"""``yichuang pki-demo``: create the demo centre's self-signed signing certificate and key under ./var/pki.

    yichuang pki-demo            # keep an existing pair
    yichuang pki-demo --force    # make a new pair (PDFs signed with the old one no longer verify)
"""

from django.core.management.base import BaseCommand

from yichuang.documents.pki import demo_pki_create


class Command(BaseCommand):
    help = "创建演示用自签名签章证书 / Create the demo self-signed signing certificate and key."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="重新生成 / replace an existing pair")
        parser.add_argument("--centre-name", default="九龙坡区政务服务中心")

    def handle(self, *args, **opts):
        cert, key, created = demo_pki_create(centre_name=opts["centre_name"], force=opts["force"])
        verb = "已创建 Created" if created else "已存在 Exists"
        self.stdout.write(f"{verb}: {cert}\n        {key}\n仅供演示，请勿用于生产环境。 For demonstration only.")
