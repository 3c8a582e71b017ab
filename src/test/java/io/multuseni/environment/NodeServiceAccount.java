package io.multuseni.environment;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * On a real API server, an identity with a node's rights over Nodes (read, watch, label, annotate) and
 * Events (create, patch) and nothing else, and a bearer token for it: what an exec plugin in a test kubeconfig hands out.
 */
final class NodeServiceAccount {
    private static final String NAME = "multus-eni-test-node";
    private static final String NAMESPACE = "default";

    private NodeServiceAccount() {}

    static String token(KubernetesClient admin) {
        PatchContext apply = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("multus-eni-tests").withForce(true).build();
        admin.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(NAME).withNamespace(NAMESPACE).endMetadata().build()).patch(apply);
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(NAME).endMetadata()
                .addNewRule().withApiGroups("").withResources("nodes").withVerbs("get", "list", "watch", "patch")
                .endRule()
                // As system:nodes may (NodeRules in Kubernetes' bootstrap policy): write Events, never read them.
                .addNewRule().withApiGroups("").withResources("events").withVerbs("create", "update", "patch")
                .endRule().build()).patch(apply);
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(NAME)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", NAME)
                .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(NAMESPACE).endSubject()
                .build()).patch(apply);
        return admin.serviceAccounts().inNamespace(NAMESPACE).withName(NAME).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    }
}
