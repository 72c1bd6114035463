# syntax=docker/dockerfile:1
# The hub as a container: build the fat jar with Maven, run it on a JRE.
# docker-compose.yml points it at a real PostgreSQL and Artemis through environment variables.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
COPY routes ./routes
COPY connectors ./connectors
COPY mappings ./mappings
# the cache mount keeps ~/.m2 between builds (BuildKit, the default builder of current Docker)
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package \
    && cp target/hotline-hub-*.jar /hotline-hub.jar

FROM eclipse-temurin:17-jre
# an unprivileged user; /app/data is hub.data-dir (used only by the embedded servers, which
# compose does not start, but kept writable so the image also runs stand-alone)
RUN groupadd --system hub && useradd --system --gid hub --home-dir /app hub \
    && mkdir -p /app/data && chown -R hub:hub /app
WORKDIR /app
COPY --from=build /hotline-hub.jar /app/hotline-hub.jar
USER hub
ENV HUB_DATADIR=/app/data \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
# sh -c so JAVA_OPTS applies; exec so java is PID 1 and gets docker's SIGTERM (clean shutdown)
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/hotline-hub.jar \"$@\"", "--"]
