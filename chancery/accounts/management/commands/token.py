"""`chancery token create|list|revoke`: API tokens for scripts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts import services
from chancery.accounts.models import User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token; it is printed once")
        create.add_argument("username")
        create.add_argument("--name", default="command line", help="what the token is for")
        listing = actions.add_parser("list", help="a user's active tokens")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="revoke a token by its number")
        revoke.add_argument("username")
        revoke.add_argument("token_id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"username: no user called {options['username']!r}.") from None
        if options["action"] == "create":
            token, secret = services.create_token(user=user, name=options["name"][:100])
            self.stdout.write(secret)
            self.stderr.write(f"Token #{token.pk} for {user}; it is shown only this once.")
        elif options["action"] == "list":
            for token in user.api_tokens.filter(revoked_at__isnull=True).order_by("pk"):
                used = token.last_used_at.isoformat() if token.last_used_at else "never used"
                self.stdout.write(f"#{token.pk}  {token.name}  {used}")
        else:
            if not user.api_tokens.filter(
                pk=_number(options["token_id"]), revoked_at__isnull=True
            ).exists():
                raise CommandError(f"token_id: {user} has no active token #{options['token_id']}.")
            services.revoke_token(user=user, token_id=options["token_id"])
            self.stdout.write(f"Token #{options['token_id']} revoked.")


def _number(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise CommandError(f"token_id: {text!r} is not a token number.")
    return int(text)
