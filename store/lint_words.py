"""The words the blameless check uses to tell people from systems, and to find where a clause starts.

A sentence blames when a person is said to have failed, not when a system did: "the SRE failed to
escalate" against "the health check failed to detect". These lists decide what a word refers to:
roles and teams are people, common infrastructure nouns and product names are systems, and a
capitalised word that is neither is most likely someone's name.
"""

from __future__ import annotations

from enum import StrEnum


class Subject(StrEnum):
    """What the words before a verb (or after `caused by`) refer to."""

    NAME = "name"  # a person or team named in the incident, or an @handle
    PERSON = "person"  # one person: he, she, someone, the engineer, the on-call
    GROUP = "group"  # people together: we, they, the team, engineers
    NONE = "none"  # no subject at all: "Forgot to renew the certificate."
    BARE = "bare"  # a capitalised word not known to be a system: probably a name
    SYSTEM = "system"  # anything else: the alert, it, the runbook, Kafka


PEOPLE = frozenset({Subject.NAME, Subject.PERSON, Subject.GROUP})
#: People, and capitalised words that are most likely names.
ANYONE = PEOPLE | {Subject.BARE}
ONE_PERSON = frozenset({Subject.NAME, Subject.PERSON})


def _words(text: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(text.split())


#: Words between a subject and its verb that say nothing about who: adverbs, auxiliaries, negations.
SKIP = _words(
    """just simply also then again clearly obviously really completely apparently still unfortunately
    initially repeatedly totally probably likely certainly somehow accidentally mistakenly entirely
    partially later eventually actually basically ultimately frankly all both had has have was were is
    are did does do been be may might must would could can will never always not only even
    didn't didn’t doesn't doesn’t don't don’t wasn't wasn’t weren't weren’t hadn't hadn’t hasn't
    hasn’t couldn't couldn’t wouldn't wouldn’t can't can’t cannot won't won’t"""
)
#: Words that end the clause a subject could be in.
BOUNDARIES = _words("and but or so because since when while if although though after before until as once where yet")
RELATIVES = _words("that which who")
DETERMINERS = _words("the a an this that these those our their its his her my your every each any some")
#: Auxiliaries that make the verb after them passive: "was botched by the duty manager".
PASSIVE = _words("was were been be being is are got gets")
INDIVIDUALS = _words(
    """i he she you someone somebody anyone anybody whoever everyone everybody person individual
    engineer developer dev programmer operator on-call oncall on-caller responder admin sysadmin
    administrator intern apprentice contractor consultant hire newbie junior employee reviewer approver
    manager lead captain colleague teammate human commander scribe ic sre dba analyst architect
    tester owner author liaison coordinator integrator vendor supplier guy specialist technician
    officer director staffer member"""
)
GROUPS = _words(
    """we they us team teams squad squads crew engineers developers devs programmers operators
    responders admins administrators interns contractors consultants hires employees reviewers
    approvers managers leads sres dbas analysts people humans folks staff colleagues teammates
    ops eng engineering devops qa infra management leadership vendors"""
)
#: Common nouns of infrastructure and process: a subject that is one of these is a system.
SYSTEM_NOUNS = _words(
    """it this there nothing something everything nobody noone none alert alerts alerting alarm alarms check checks
    health healthcheck monitor monitors monitoring probe probes script scripts job jobs cron crontab
    pipeline pipelines deploy deploys deployment deployments release releases build builds ci cd
    test tests suite canary canaries rollout rollouts rollback rollbacks migration migrations config
    configs configuration change changes commit commits merge patch patches flag flags service
    services server servers host hosts node nodes cluster clusters pod pods container containers
    database databases db replica replicas primary cache caches queue queues broker brokers consumer
    consumers producer worker workers api apis gateway proxy proxies balancer balancers lb dns cdn
    network link switch router routers firewall disk disks volume volumes storage backup backups
    restore runbook runbooks playbook playbooks doc docs documentation process checklist tool tools
    tooling system systems app apps application client clients library libraries code bug bugs
    dashboard dashboards page pages pager paging rotation policy schedule scheduler autoscaler
    timeout limiter breaker threshold metric metrics log logs index query queries table lock request
    requests traffic load loader upgrade update version certificate cert token key secret automation
    bot hook webhook failover import export form sdk cli daemon agent agents endpoint endpoints
    region zone shard shards partition instance instances vm kernel os firmware hardware
    software driver module plugin component feature template analysis tracing trace
    retry retries sync backfill task tasks workflow validator linter compiler parser handler
    controller mesh ingress egress route routes rule rules"""
)
#: Product and protocol names that are capitalised like names but are systems.
PRODUCTS = _words(
    """kafka redis postgres postgresql mysql mariadb mongo mongodb cassandra elasticsearch
    opensearch solr nginx envoy haproxy traefik istio linkerd consul vault nomad terraform ansible
    puppet chef saltstack jenkins gitlab github bitbucket circleci travis argo argocd flux spinnaker
    kubernetes k8s kubectl docker helm prometheus grafana alertmanager loki thanos datadog newrelic
    pagerduty opsgenie victorops sentry splunk kibana logstash fluentd fluentbit cloudflare akamai
    fastly aws gcp azure s3 ec2 ecs eks gke aks rds aurora lambda dynamodb cloudfront cloudwatch
    route53 sqs sns kinesis zookeeper etcd rabbitmq nats celery sidekiq resque airflow spark hadoop
    hdfs hive presto trino snowflake bigquery redshift memcached varnish squid linux ubuntu debian
    centos rhel windows macos systemd slack zoom jira confluence statuspage okta auth0 stripe twilio
    sendgrid mailgun git npm pip maven gradle bazel webpack java jvm python golang ruby rails django
    flask spring react graphql grpc http https tls ssl ssh bgp ospf vpn nat chrome safari firefox
    ios android heroku vercel netlify ceph gluster nfs zfs minio clickhouse timescale influxdb
    graphite statsd jaeger zipkin opentelemetry keycloak ldap f5 cisco juniper arista vmware
    openstack pgbouncer patroni vitess citus cockroachdb tidb"""
)
#: How product names end and given names do not: Certbot, InfluxDB, GitLab, RabbitMQ, kubectl.
_PRODUCT_ENDINGS = tuple(
    _words("bot db sql ctl ops hub lab kit mq cache proxy flow stack ware base conf cron duty api js ql")
)
NEGATIONS = _words(
    """no not nobody never without don't doesn't isn't aren't wasn't weren't won't didn't cannot can't
    don’t doesn’t isn’t aren’t wasn’t weren’t won’t didn’t can’t"""
)
#: Sections that explain why it happened: naming a person there reads as the cause.
CAUSAL_SECTIONS = ("summary", "root cause", "contributing factor", "trigger", "what went wrong")


def bare_word(word: str) -> str:
    """The word without a possessive ending: "Alex's" → "Alex", "developers'" → "developers"."""
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word


def is_possessive(word: str) -> bool:
    """Whether the word ends in a possessive ("Alex's", "developers'")."""
    return bare_word(word) != word


def classify(word: str, previous: str, names: set[str]) -> Subject:
    """What one word refers to, given the word before it (a determiner makes an unknown word a thing)."""
    if word.startswith("@") and len(word) > 1:
        return Subject.NAME
    bare = bare_word(word)
    lower = bare.lower()
    # "that Alex's blunder": `that` before a capitalised word joins a clause, it does not make a thing of it.
    determined = previous.lower() in DETERMINERS and not (previous.lower() == "that" and bare[:1].isupper())
    if lower in names and not determined:
        return Subject.NAME
    if lower in INDIVIDUALS:
        return Subject.PERSON
    if lower in GROUPS:
        return Subject.GROUP
    if lower in DETERMINERS:  # "A fat finger ...", "The deploy went out ...": no one in particular
        return Subject.SYSTEM
    if lower in SYSTEM_NOUNS or lower in PRODUCTS or any(part in PRODUCTS for part in lower.split("-")):
        return Subject.SYSTEM
    if determined or not bare[:1].isupper() or any(c.isdigit() for c in bare):
        return Subject.SYSTEM
    if len(bare) > 1 and bare.isupper():  # an acronym: DNS, CDN, API
        return Subject.SYSTEM
    if any(c.isupper() for c in bare[1:]) or lower.endswith(_PRODUCT_ENDINGS):  # PagerDuty, Certbot, MongoDB
        return Subject.SYSTEM
    return Subject.BARE
