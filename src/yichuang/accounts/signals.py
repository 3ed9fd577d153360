"""The token cache's invalidation, in one place: a user, token or centre saved or deleted by any path — the
services of accounts and the Django admin alike — retires every cached token lookup at once
(services.token_cache_invalidate). Only the cache is touched here; the rules stay in the services."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ApiToken, Centre, User
from .services import token_cache_invalidate


@receiver(post_save, sender=User, dispatch_uid="accounts-token-cache-user-saved")
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    # A new user has no token yet; a login only stamps last_login, which no API check reads.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    token_cache_invalidate()


@receiver(post_save, sender=ApiToken, dispatch_uid="accounts-token-cache-token-saved")
def token_saved(sender, instance, created, **kwargs):
    if not created:
        token_cache_invalidate()


@receiver(post_save, sender=Centre, dispatch_uid="accounts-token-cache-centre-saved")
def centre_saved(sender, instance, created, **kwargs):
    if not created:  # a cached user carries its centre
        token_cache_invalidate()


@receiver(post_delete, sender=User, dispatch_uid="accounts-token-cache-user-deleted")
@receiver(post_delete, sender=ApiToken, dispatch_uid="accounts-token-cache-token-deleted")
@receiver(post_delete, sender=Centre, dispatch_uid="accounts-token-cache-centre-deleted")
def deleted(sender, instance, **kwargs):
    token_cache_invalidate()
